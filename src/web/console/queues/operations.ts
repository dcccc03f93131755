import { graphql } from '@jobgate/client/gql';

/** Counts the console shows for a queue, from `queues`/`queue` and from each `queueStats` push alike. */
export const ConsoleQueueCountsFragment = graphql(`
  fragment ConsoleQueueCounts on QueueCounts {
    waiting
    active
    delayed
    prioritized
    waitingChildren
    completed
    failed
    cancelled
    paused
  }
`);

/** Every queue with its counts and the last hour's finished jobs per minute (the sparklines). */
export const ConsoleQueuesDocument = graphql(`
  query ConsoleQueues {
    queues {
      name
      paused
      workerCount
      counts {
        ...ConsoleQueueCounts
      }
      completed {
        perMinute
      }
      failed {
        perMinute
      }
    }
  }
`);

/** One queue as its page shows it: limits, throughput, the jobs its workers run. */
export const ConsoleQueueDocument = graphql(`
  query ConsoleQueue($name: String!) {
    queue(name: $name) {
      name
      paused
      workerCount
      globalConcurrency
      limitsOverridden
      rateLimit {
        max
        durationMs
      }
      counts {
        ...ConsoleQueueCounts
      }
      completed {
        total
        perMinute
      }
      failed {
        total
        perMinute
      }
      activeJobs(first: 20) {
        id
        type
        state
        worker
        startedAt
      }
    }
    workers(queue: $name) {
      name
      address
      ageSeconds
      idleSeconds
    }
  }
`);

/** A queue's live counts (pushed at most every 250 ms). */
export const ConsoleQueueStatsDocument = graphql(`
  subscription ConsoleQueueStats($queue: String!) {
    queueStats(queue: $queue) {
      queue
      paused
      at
      counts {
        ...ConsoleQueueCounts
      }
    }
  }
`);

/** Pauses a queue: its workers start no new job (admin). */
export const ConsolePauseQueueDocument = graphql(`
  mutation ConsolePauseQueue($queue: String!) {
    pauseQueue(queue: $queue)
  }
`);

/** Resumes a paused queue (admin). */
export const ConsoleResumeQueueDocument = graphql(`
  mutation ConsoleResumeQueue($queue: String!) {
    resumeQueue(queue: $queue)
  }
`);

/** Deletes the waiting jobs, and the delayed ones with `delayed` (admin). */
export const ConsoleDrainQueueDocument = graphql(`
  mutation ConsoleDrainQueue($queue: String!, $delayed: Boolean!) {
    drainQueue(queue: $queue, delayed: $delayed)
  }
`);

/** Deletes the jobs in `state` older than `olderThanSeconds`; answers how many (admin). */
export const ConsoleCleanQueueDocument = graphql(`
  mutation ConsoleCleanQueue($queue: String!, $state: JobState!, $olderThanSeconds: Int!) {
    cleanQueue(queue: $queue, state: $state, olderThanSeconds: $olderThanSeconds)
  }
`);

/** Moves the failed jobs back to waiting; answers how many (admin). */
export const ConsoleRetryFailedDocument = graphql(`
  mutation ConsoleRetryFailed($queue: String!) {
    retryFailed(queue: $queue)
  }
`);

/** Sets the rate limit every worker applies, or lifts it with null (admin). */
export const ConsoleSetQueueRateLimitDocument = graphql(`
  mutation ConsoleSetQueueRateLimit($queue: String!, $rateLimit: RateLimitInput) {
    setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) {
      name
    }
  }
`);

/** Caps the jobs active at once across every worker, or lifts the cap with null (admin). */
export const ConsoleSetQueueGlobalConcurrencyDocument = graphql(`
  mutation ConsoleSetQueueGlobalConcurrency($queue: String!, $concurrency: Int) {
    setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) {
      name
    }
  }
`);

/** Drops the limits set at runtime: the workers' configured ones apply again (admin). */
export const ConsoleResetQueueLimitsDocument = graphql(`
  mutation ConsoleResetQueueLimits($queue: String!) {
    resetQueueLimits(queue: $queue) {
      name
    }
  }
`);
