import '../jobs/jobs.css';
import './console.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createJobgateClient } from '@jobgate/client';
import { graphqlHttpUrl } from '../shared/endpoint';
import { Console } from './console';

/**
 * The console waits out gateway restarts: with waits capped at 2 s, 600 attempts are about
 * twenty minutes, after which each live view says its watch stopped.
 */
const RETRY_ATTEMPTS = 600;
/** Where a token typed by the user is kept for this tab only. */
const TOKEN_KEY = 'jobgate.token';

const client = createJobgateClient({
  url: graphqlHttpUrl(),
  token: () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  retryAttempts: RETRY_ATTEMPTS,
});

const container = document.getElementById('root');
if (container === null) throw new Error('expected a #root element in index.html, got none');

createRoot(container).render(
  <StrictMode>
    <Console client={client} tokenKey={TOKEN_KEY} />
  </StrictMode>,
);
