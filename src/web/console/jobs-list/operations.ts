import { graphql } from '@jobgate/client/gql';

/** What a row of the jobs list shows of a job; queries and events select the same fields so an event replaces a row. */
export const JobRowFieldsFragment = graphql(`
  fragment JobRowFields on Job {
    id
    type
    queue
    state
    progress {
      percent
    }
    attempt
    maxAttempts
    createdAt
    startedAt
    finishedAt
    canControl
  }
`);

/** A page of every job the caller may see, newest first, across queues or in one. */
export const RecentJobsDocument = graphql(`
  query RecentJobs($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {
    recentJobs(queue: $queue, states: $states, type: $type, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...JobRowFields
        }
      }
    }
  }
`);

/** Every event of a queue's jobs (only the caller's own for a submitter): one subscription per queue shown. */
export const JobsListEventsDocument = graphql(`
  subscription JobsListEvents($queue: String!) {
    queueEvents(queue: $queue) {
      type
      at
      job {
        ...JobRowFields
      }
    }
  }
`);

/** The registered job types: their names and queues fill the filters. */
export const JobsListTypesDocument = graphql(`
  query JobsListTypes {
    jobTypes {
      name
      queue
    }
  }
`);

/** Every queue's name, for readers: it includes queues no job type names (e.g. `imports-bulk`). */
export const JobsListQueuesDocument = graphql(`
  query JobsListQueues {
    queues {
      name
    }
  }
`);

export const CancelJobRowDocument = graphql(`
  mutation CancelJobRow($id: ID!) {
    cancelJob(id: $id) {
      ...JobRowFields
    }
  }
`);

export const RetryJobRowDocument = graphql(`
  mutation RetryJobRow($id: ID!) {
    retryJob(id: $id) {
      ...JobRowFields
    }
  }
`);

export const PromoteJobRowDocument = graphql(`
  mutation PromoteJobRow($id: ID!) {
    promoteJob(id: $id) {
      ...JobRowFields
    }
  }
`);

export const RemoveJobRowDocument = graphql(`
  mutation RemoveJobRow($id: ID!) {
    removeJob(id: $id) {
      ...JobRowFields
    }
  }
`);
