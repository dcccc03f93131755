import { graphql } from '@jobgate/client/gql';

/** Everything the Job page shows of one job. */
export const JobPageDocument = graphql(`
  query JobPage($id: ID!) {
    job(id: $id) {
      id
      type
      queue
      state
      data
      result
      failedReason
      stacktrace
      attempt
      attemptsMade
      maxAttempts
      createdAt
      startedAt
      finishedAt
      runAt
      expiresAt
      nextRetryAt
      worker
      owner
      options
      canControl
      progress {
        percent
        current
        total
        message
      }
      logEntries(last: 500) {
        at
        attempt
        message
      }
      attempts {
        number
        startedAt
        finishedAt
        outcome
        error
      }
      parent {
        id
        type
        state
      }
      children(first: 100) {
        totalCount
        edges {
          node {
            id
            type
            state
          }
        }
      }
    }
  }
`);

/** What the page follows live: state, attempt and progress in place, log lines as they come. */
export const JobPageEventsDocument = graphql(`
  subscription JobPageEvents($id: ID!) {
    jobEvents(id: $id) {
      type
      at
      log
      job {
        id
        state
        attempt
        progress {
          percent
          current
          total
          message
        }
      }
    }
  }
`);

export const JobPageCancelDocument = graphql(`
  mutation JobPageCancel($id: ID!) {
    cancelJob(id: $id) {
      id
      state
    }
  }
`);

export const JobPageRetryDocument = graphql(`
  mutation JobPageRetry($id: ID!) {
    retryJob(id: $id) {
      id
      state
    }
  }
`);

export const JobPagePromoteDocument = graphql(`
  mutation JobPagePromote($id: ID!) {
    promoteJob(id: $id) {
      id
      state
    }
  }
`);

export const JobPageRemoveDocument = graphql(`
  mutation JobPageRemove($id: ID!) {
    removeJob(id: $id) {
      id
    }
  }
`);
