import type { ConnectionState, JobgateClient } from '@jobgate/client';
import { useConnectionState } from '@jobgate/client/react';
import { HealthBanners } from './frame/health-banners';
import { Account, SignInForm } from './frame/sign-in';
import { useCaller } from './frame/use-caller';
import { useHealth } from './frame/use-health';
import { useShortcuts } from './frame/use-shortcuts';
import './frame/frame.css';
import { Link, useLocation } from './router';
import { RoutedPage } from './routes';

const CONNECTION_TEXT: Readonly<Record<ConnectionState, string>> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  closed: 'not connected',
};

const NAV: readonly { to: string; label: string }[] = [
  { to: '/', label: 'Jobs' },
  { to: '/queues', label: 'Queues' },
  { to: '/workers', label: 'Workers' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/enqueue', label: 'Enqueue' },
];

/** Whether the page at `pathname` belongs to the nav entry `to` (a job's page to Jobs, a queue's to Queues). */
const isCurrent = (to: string, pathname: string): boolean =>
  to === '/' ? pathname === '/' || pathname.startsWith('/jobs/') : pathname === to || pathname.startsWith(`${to}/`);

/** The console's frame: navigation, sign-in, banners, and the page of the current path. */
export function Console({ client, tokenKey }: { client: JobgateClient; tokenKey: string }) {
  const { pathname } = useLocation();
  const connection = useConnectionState({ client });
  const { health, unreachable } = useHealth(connection);
  const me = useCaller(client);
  useShortcuts();
  const needsToken = me.error?.code === 'UNAUTHENTICATED';
  return (
    <>
      <header className="top console-top">
        <Link to="/" className="console-brand">
          Jobgate
        </Link>
        <nav aria-label="Console" className="console-nav">
          {NAV.map(({ to, label }) => (
            <Link key={to} to={to} aria-current={isCurrent(to, pathname) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
          <a href="/graphiql">GraphiQL</a>
        </nav>
        <span role="status" className={`connection connection-${connection}`} data-testid="connection">
          {CONNECTION_TEXT[connection]}
        </span>
        {!needsToken && <Account tokenKey={tokenKey} callerId={me.caller?.id} />}
      </header>
      <HealthBanners health={health} unreachable={unreachable} />
      {needsToken && (
        <main>
          <SignInForm
            tokenKey={tokenKey}
            prominent
            problem={
              sessionStorage.getItem(tokenKey) === null
                ? 'This gateway needs an access token.'
                : `The token was refused: ${me.error?.message}`
            }
          />
        </main>
      )}
      {me.error !== undefined && !needsToken && (
        <main>
          <p role="alert" className="error">
            Could not tell who you are: {me.error.message}{' '}
            <button type="button" className="secondary" onClick={me.reload}>
              Try again
            </button>
          </p>
        </main>
      )}
      {me.caller !== undefined && <RoutedPage pathname={pathname} client={client} caller={me.caller} />}
    </>
  );
}
