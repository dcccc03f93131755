import type { Locator, Page, WebSocket } from 'playwright-core';

/** What the page's WebSockets carried, parsed (graphql-transport-ws messages). */
export interface SocketLog {
  sockets: number;
  sent: WireMessage[];
  received: WireMessage[];
}

/** A graphql-transport-ws message, loosely typed: tests check what they need of it. */
export interface WireMessage {
  type: string;
  id?: string;
  payload?: {
    query?: string;
    variables?: Record<string, unknown>;
    data?: { jobEvents?: WireJobEvent };
  };
}

/** A `jobEvents` result as the page's subscription selects it. */
export interface WireJobEvent {
  type: string;
  cursor: string;
  job: { id: string; state: string; progress: { current: number | null; percent: number | null } | null };
}

/** Records every frame of every WebSocket the page opens from now on. */
export function recordSockets(page: Page): SocketLog {
  const log: SocketLog = { sockets: 0, sent: [], received: [] };
  const parse = (payload: string | Buffer): WireMessage => JSON.parse(payload.toString()) as WireMessage;
  page.on('websocket', (socket: WebSocket) => {
    log.sockets++;
    socket.on('framesent', ({ payload }) => log.sent.push(parse(payload)));
    socket.on('framereceived', ({ payload }) => log.received.push(parse(payload)));
  });
  return log;
}

/** The `jobEvents` results received for one job, in arrival order. */
export function jobEventsOf(log: SocketLog, jobId: string): WireJobEvent[] {
  return log.received.flatMap((message) => {
    const event = message.type === 'next' ? message.payload?.data?.jobEvents : undefined;
    return event !== undefined && event.job.id === jobId ? [event] : [];
  });
}

/** Orders two cursors (`<ms>-<seq>` stream ids): negative when `a` comes first. */
export function compareCursors(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

const barOf = (jobId: string): string => JSON.stringify(`[data-job-id="${jobId}"] [role="progressbar"]`);

/**
 * Records, in the page, every value each job's progress bar shows from now on: the value a
 * new bar appears with and each change of `aria-valuenow`. Read them back with
 * {@link progressValues}. (Browser-side code is an expression string: the tests compile
 * without the DOM library.)
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window.progressSeen = {});
    const record = (bar) => {
      const jobId = bar.closest('[data-job-id]')?.getAttribute('data-job-id');
      if (jobId) (seen[jobId] ??= []).push(Number(bar.getAttribute('aria-valuenow')));
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes') record(mutation.target);
        for (const node of mutation.addedNodes) {
          if (node.querySelectorAll) node.querySelectorAll('[role="progressbar"]').forEach(record);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);
}

/** Values recorded by {@link recordProgress} for job `jobId`. */
export async function progressValues(page: Page, jobId: string): Promise<number[]> {
  return (await page.evaluate(`window.progressSeen?.[${JSON.stringify(jobId)}] ?? []`)) as number[];
}

/** Resolves once the progress bar of job `jobId` shows at least `percent`. */
export async function waitForProgress(page: Page, jobId: string, percent: number, timeout: number): Promise<void> {
  await page.waitForFunction(`Number(document.querySelector(${barOf(jobId)})?.getAttribute('aria-valuenow')) >= ${percent}`, undefined, {
    timeout,
  });
}

/** Fills the enqueue form for an `importParts` job and submits it; returns the new job's card. */
export async function enqueueImport(page: Page, items: number, msPerItem: number, project = 'web-test'): Promise<Locator> {
  await page.getByTestId('job-type').selectOption('importParts');
  await page.getByTestId('field-project').fill(project);
  await page.getByTestId('field-phase').fill('build');
  await page.getByTestId('field-stage').fill('frame');
  await page.getByTestId('field-items').fill(String(items));
  await page.getByTestId('field-msPerItem').fill(String(msPerItem));
  const before = await page.getByTestId('job-card').count();
  await page.getByTestId('enqueue-submit').click();
  await page.getByTestId('job-card').nth(before).waitFor();
  // New cards go on top; address the card by its job id so later cards do not shift it.
  const id = await page.getByTestId('job-card').first().getAttribute('data-job-id');
  if (id === null) throw new Error('expected the new card to carry data-job-id, it had none');
  return page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
}
