import { graphql } from '@jobgate/client/gql';

/** A worker process as its row shows it. */
export const ConsoleWorkerProcessFragment = graphql(`
  fragment ConsoleWorkerProcess on WorkerProcess {
    id
    host
    pid
    queues
    concurrency
    startedAt
    uptimeSeconds
    lastHeartbeatAt
    status
    activeJobs {
      id
      queue
    }
    processed
    failed
    cpuPercent
    rssBytes
  }
`);

/** Every worker process that heartbeats, lost ones included until they are forgotten. */
export const ConsoleWorkerProcessesDocument = graphql(`
  query ConsoleWorkerProcesses {
    workerProcesses {
      ...ConsoleWorkerProcess
    }
  }
`);

/** ONLINE, HEARTBEAT (its figures now), OFFLINE (stopped cleanly) and LOST (heartbeats stopped), each with the worker as last seen. */
export const ConsoleWorkerEventsDocument = graphql(`
  subscription ConsoleWorkerEvents {
    workerEvents {
      kind
      at
      worker {
        ...ConsoleWorkerProcess
      }
    }
  }
`);
