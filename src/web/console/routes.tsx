import { EnqueuePage } from './pages/enqueue-page';
import { JobPage } from './pages/job-page';
import { JobsPage } from './pages/jobs-page';
import { QueuePage } from './pages/queue-page';
import { QueuesPage } from './pages/queues-page';
import { SchedulesPage } from './pages/schedules-page';
import { WorkersPage } from './pages/workers-page';
import type { PageProps } from './page-props';

/** The page at `pathname`; the gateway serves index.html at each of these paths (CONSOLE_ROUTES in src/server/gateway.ts). */
export function RoutedPage({ pathname, ...props }: PageProps & { pathname: string }) {
  const [, first = '', ...rest] = pathname.split('/');
  const tail = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  if (first === '') return <JobsPage {...props} />;
  if (first === 'jobs' && tail !== undefined) return <JobPage {...props} id={tail} />;
  if (first === 'queues') return tail === undefined ? <QueuesPage {...props} /> : <QueuePage {...props} name={tail} />;
  if (first === 'workers') return <WorkersPage {...props} />;
  if (first === 'schedules') return <SchedulesPage {...props} />;
  if (first === 'enqueue') return <EnqueuePage {...props} />;
  return (
    <p role="alert" className="error">
      No page at {pathname}.
    </p>
  );
}
