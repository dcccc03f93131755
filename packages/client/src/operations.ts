import type { JobsQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';

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

/** One job by id. */
export const JobDocument = graphql(`
  query Job($id: ID!) {
    job(id: $id) {
      ...JobFields
    }
  }
`);

/**
 * A page of a queue's jobs, newest first, optionally in some states only. The gateway's cost limit
 * counts a variable `first` as 500 jobs: each job's selection is kept small (no data, no result).
 */
export const JobsDocument = graphql(`
  query Jobs($queue: String!, $states: [JobState!], $first: Int!, $after: String) {
    jobs(queue: $queue, states: $states, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          type
          queue
          state
          progress {
            percent
          }
          failedReason
          attemptsMade
          maxAttempts
          createdAt
          finishedAt
        }
      }
    }
  }
`);

/** Every queue with its counts. */
export const QueuesDocument = graphql(`
  query Queues {
    queues {
      name
      paused
      counts {
        waiting
        active
        delayed
        prioritized
        completed
        failed
        cancelled
        paused
      }
    }
  }
`);

/** The workers connected to a queue. */
export const WorkersDocument = graphql(`
  query Workers($queue: String!) {
    workers(queue: $queue) {
      name
      address
      ageSeconds
      idleSeconds
    }
  }
`);

/** Every repeatable schedule. */
export const SchedulesDocument = graphql(`
  query Schedules {
    schedules {
      id
      type
      queue
      cron
      everyMs
      timeZone
      nextRunAt
      lastJobId
    }
  }
`);

/** Live counts of one queue, pushed when they change (at most every 250 ms). */
export const QueueStatsDocument = graphql(`
  subscription QueueStats($queue: String!) {
    queueStats(queue: $queue) {
      queue
      paused
      counts {
        waiting
        active
        delayed
        prioritized
        completed
        failed
        paused
      }
    }
  }
`);

/** A page of jobs as `jobs` returns it. */
export interface JobsPage<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

/** A job of a `jobs` page: its state and progress, without data or result (read those with `job(id)`). */
export type JobListItem = JobsQuery['jobs']['edges'][number]['node'];
