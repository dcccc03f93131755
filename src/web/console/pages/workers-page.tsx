import type { JobgateClient } from '@jobgate/client';
import { readsAll, type PageProps } from '../page-props';
import { Failure, NeedsReader } from '../queues/needs-reader';
import { useWorkerList } from '../workers/use-worker-list';
import { WorkerRow } from '../workers/worker-row';
import '../queues/queues.css';
import '../workers/workers.css';

/**
 * `/workers`: every worker process, live from `workerEvents`: each heartbeat refreshes its row,
 * and one that stops heartbeating shows LOST.
 */
export function WorkersPage({ client, caller }: PageProps) {
  if (!readsAll(caller)) return <NeedsReader what="The workers page" />;
  return <Workers client={client} />;
}

function Workers({ client }: { client: JobgateClient }) {
  const { rows, error } = useWorkerList(client);
  return (
    <section className="console-section" aria-labelledby="workers-title">
      <h1 id="workers-title">Workers</h1>
      {error !== undefined && <Failure message={error} />}
      {rows === undefined ? (
        error === undefined && <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No worker process heartbeats.</p>
      ) : (
        <div className="table-scroll">
          <table className="dense workers-table" data-testid="workers-table">
            <thead>
              <tr>
                <th scope="col">worker</th>
                <th scope="col">status</th>
                <th scope="col" className="num col-pid">
                  pid
                </th>
                <th scope="col" className="col-queues">
                  queues
                </th>
                <th scope="col" className="num col-concurrency">
                  concurrency
                </th>
                <th scope="col" className="col-uptime">
                  uptime
                </th>
                <th scope="col" className="col-active">
                  running
                </th>
                <th scope="col" className="num">
                  processed
                </th>
                <th scope="col" className="num">
                  failed
                </th>
                <th scope="col" className="num col-cpu">
                  CPU %
                </th>
                <th scope="col" className="num col-memory">
                  MiB
                </th>
                <th scope="col">heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <WorkerRow key={row.id} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
