import type { JobgateClient } from '@jobgate/client';
import { Link, useLocation } from './router';
import { RoutedPage } from './routes';
import type { ConsoleCaller } from './page-props';

const PLACEHOLDER_CALLER: ConsoleCaller = { id: 'system:dev', roles: ['ADMIN', 'VIEWER', 'SUBMITTER'] };

/** The console's frame: navigation, sign-in, banners, and the page of the current path. */
export function Console({ client }: { client: JobgateClient; tokenKey: string }) {
  const { pathname } = useLocation();
  return (
    <>
      <nav>
        <Link to="/">Jobs</Link> <Link to="/queues">Queues</Link> <Link to="/workers">Workers</Link> <Link to="/schedules">Schedules</Link>{' '}
        <Link to="/enqueue">Enqueue</Link> <a href="/graphiql">GraphiQL</a>
      </nav>
      <RoutedPage pathname={pathname} client={client} caller={PLACEHOLDER_CALLER} />
    </>
  );
}
