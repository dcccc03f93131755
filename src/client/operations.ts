import { graphql } from './gql';

/** Fields the client reads on every job, in mutations and in events alike. */
export const JobFieldsFragment = graphql(`
  fragment JobFields on Job {
    id
    type
    queue
    state
    data
    progress {
      percent
      current
      total
      message
    }
    result
    failedReason
    attemptsMade
    maxAttempts
    createdAt
    startedAt
    finishedAt
  }
`);

/** A flow's aggregate over every descendant of a job. */
export const FlowProgressFieldsFragment = graphql(`
  fragment FlowProgressFields on FlowProgress {
    total
    waiting
    active
    completed
    failed
    cancelled
    percent
  }
`);

/**
 * Enqueues any registered job type through the generic mutation. `flow` is non-null when the
 * type declares children (the job is then a flow's root), read once here rather than with every event.
 */
export const EnqueueJobDocument = graphql(`
  mutation EnqueueJob($type: String!, $data: JSON!, $options: JobOptionsInput) {
    enqueue(type: $type, data: $data, options: $options) {
      ...JobFields
      flow {
        ...FlowProgressFields
      }
    }
  }
`);

/** Enqueues a tree of jobs atomically; returns its root, with the tree's aggregate. */
export const EnqueueFlowDocument = graphql(`
  mutation EnqueueFlow($flow: FlowInput!) {
    enqueueFlow(flow: $flow) {
      ...JobFields
      flow {
        ...FlowProgressFields
      }
    }
  }
`);

/** Cancels a job: removed if waiting, aborted on its worker if active. */
export const CancelJobDocument = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      ...JobFields
    }
  }
`);

/** Retries a failed or cancelled job. */
export const RetryJobDocument = graphql(`
  mutation RetryJob($id: ID!) {
    retryJob(id: $id) {
      ...JobFields
    }
  }
`);

/**
 * Every event of one job. `log` is the line of a LOG event. With `$withLogs` each event also
 * carries the job's recent log lines (one more read per event for the gateway), which keeps
 * a log view whole even after a gap.
 */
export const JobEventsDocument = graphql(`
  subscription JobEvents($id: ID!, $since: String, $withLogs: Boolean! = false) {
    jobEvents(id: $id, since: $since) {
      type
      cursor
      at
      gap
      log
      job {
        ...JobFields
        logs(last: 50) @include(if: $withLogs)
      }
    }
  }
`);

/**
 * Every event of every job of the tree rooted at `$id`, ending after the root's final event.
 * `flow` is the tree's aggregate as of each event; `job.parent` tells where the job sits.
 */
export const FlowEventsDocument = graphql(`
  subscription FlowEvents($id: ID!, $since: String) {
    flowEvents(id: $id, since: $since) {
      type
      cursor
      at
      gap
      log
      flow {
        ...FlowProgressFields
      }
      job {
        ...JobFields
        parent {
          id
        }
      }
    }
  }
`);
