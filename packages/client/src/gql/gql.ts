/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment JobFields on Job {\n    id\n    type\n    queue\n    state\n    data\n    progress {\n      percent\n      current\n      total\n      message\n    }\n    result\n    failedReason\n    attemptsMade\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  fragment FlowProgressFields on FlowProgress {\n    total\n    waiting\n    active\n    completed\n    failed\n    cancelled\n    percent\n  }\n": typeof types.FlowProgressFieldsFragmentDoc,
    "\n  mutation EnqueueJob($type: String!, $data: JSON!, $options: JobOptionsInput) {\n    enqueue(type: $type, data: $data, options: $options) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n": typeof types.EnqueueJobDocument,
    "\n  mutation EnqueueFlow($flow: FlowInput!) {\n    enqueueFlow(flow: $flow) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n": typeof types.EnqueueFlowDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.RetryJobDocument,
    "\n  subscription JobEvents($id: ID!, $since: String, $withLogs: Boolean! = false) {\n    jobEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      job {\n        ...JobFields\n        logs(last: 50) @include(if: $withLogs)\n      }\n    }\n  }\n": typeof types.JobEventsDocument,
    "\n  subscription FlowEvents($id: ID!, $since: String) {\n    flowEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      flow {\n        ...FlowProgressFields\n      }\n      job {\n        ...JobFields\n        parent {\n          id\n        }\n      }\n    }\n  }\n": typeof types.FlowEventsDocument,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.JobDocument,
    "\n  query Jobs($queue: String!, $states: [JobState!], $first: Int!, $after: String) {\n    jobs(queue: $queue, states: $states, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          queue\n          state\n          progress {\n            percent\n          }\n          failedReason\n          attemptsMade\n          maxAttempts\n          createdAt\n          finishedAt\n        }\n      }\n    }\n  }\n": typeof types.JobsDocument,
    "\n  query Queues {\n    queues {\n      name\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        cancelled\n        paused\n      }\n    }\n  }\n": typeof types.QueuesDocument,
    "\n  query Workers($queue: String!) {\n    workers(queue: $queue) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n": typeof types.WorkersDocument,
    "\n  query Schedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      nextRunAt\n      lastJobId\n    }\n  }\n": typeof types.SchedulesDocument,
    "\n  subscription QueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        paused\n      }\n    }\n  }\n": typeof types.QueueStatsDocument,
    "\n  query JobTypes {\n    jobTypes {\n      name\n      queue\n      description\n      inputType\n    }\n  }\n": typeof types.JobTypesDocument,
    "\n  query InputTypeFields($name: String!) {\n    __type(name: $name) {\n      name\n      description\n      inputFields {\n        name\n        description\n        defaultValue\n        type {\n          kind\n          name\n          enumValues {\n            name\n          }\n          ofType {\n            kind\n            name\n            enumValues {\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.InputTypeFieldsDocument,
    "\n  query FlowChildren($id: ID!, $after: String) {\n    job(id: $id) {\n      id\n      flow {\n        ...FlowProgressFields\n      }\n      children(first: 100, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...JobFields\n            parent {\n              id\n            }\n            flow {\n              total\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.FlowChildrenDocument,
};
const documents: Documents = {
    "\n  fragment JobFields on Job {\n    id\n    type\n    queue\n    state\n    data\n    progress {\n      percent\n      current\n      total\n      message\n    }\n    result\n    failedReason\n    attemptsMade\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n  }\n": types.JobFieldsFragmentDoc,
    "\n  fragment FlowProgressFields on FlowProgress {\n    total\n    waiting\n    active\n    completed\n    failed\n    cancelled\n    percent\n  }\n": types.FlowProgressFieldsFragmentDoc,
    "\n  mutation EnqueueJob($type: String!, $data: JSON!, $options: JobOptionsInput) {\n    enqueue(type: $type, data: $data, options: $options) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n": types.EnqueueJobDocument,
    "\n  mutation EnqueueFlow($flow: FlowInput!) {\n    enqueueFlow(flow: $flow) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n": types.EnqueueFlowDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n": types.CancelJobDocument,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      ...JobFields\n    }\n  }\n": types.RetryJobDocument,
    "\n  subscription JobEvents($id: ID!, $since: String, $withLogs: Boolean! = false) {\n    jobEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      job {\n        ...JobFields\n        logs(last: 50) @include(if: $withLogs)\n      }\n    }\n  }\n": types.JobEventsDocument,
    "\n  subscription FlowEvents($id: ID!, $since: String) {\n    flowEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      flow {\n        ...FlowProgressFields\n      }\n      job {\n        ...JobFields\n        parent {\n          id\n        }\n      }\n    }\n  }\n": types.FlowEventsDocument,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": types.JobDocument,
    "\n  query Jobs($queue: String!, $states: [JobState!], $first: Int!, $after: String) {\n    jobs(queue: $queue, states: $states, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          queue\n          state\n          progress {\n            percent\n          }\n          failedReason\n          attemptsMade\n          maxAttempts\n          createdAt\n          finishedAt\n        }\n      }\n    }\n  }\n": types.JobsDocument,
    "\n  query Queues {\n    queues {\n      name\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        cancelled\n        paused\n      }\n    }\n  }\n": types.QueuesDocument,
    "\n  query Workers($queue: String!) {\n    workers(queue: $queue) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n": types.WorkersDocument,
    "\n  query Schedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      nextRunAt\n      lastJobId\n    }\n  }\n": types.SchedulesDocument,
    "\n  subscription QueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        paused\n      }\n    }\n  }\n": types.QueueStatsDocument,
    "\n  query JobTypes {\n    jobTypes {\n      name\n      queue\n      description\n      inputType\n    }\n  }\n": types.JobTypesDocument,
    "\n  query InputTypeFields($name: String!) {\n    __type(name: $name) {\n      name\n      description\n      inputFields {\n        name\n        description\n        defaultValue\n        type {\n          kind\n          name\n          enumValues {\n            name\n          }\n          ofType {\n            kind\n            name\n            enumValues {\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.InputTypeFieldsDocument,
    "\n  query FlowChildren($id: ID!, $after: String) {\n    job(id: $id) {\n      id\n      flow {\n        ...FlowProgressFields\n      }\n      children(first: 100, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...JobFields\n            parent {\n              id\n            }\n            flow {\n              total\n            }\n          }\n        }\n      }\n    }\n  }\n": types.FlowChildrenDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id\n    type\n    queue\n    state\n    data\n    progress {\n      percent\n      current\n      total\n      message\n    }\n    result\n    failedReason\n    attemptsMade\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n  }\n"): typeof import('./graphql.js').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FlowProgressFields on FlowProgress {\n    total\n    waiting\n    active\n    completed\n    failed\n    cancelled\n    percent\n  }\n"): typeof import('./graphql.js').FlowProgressFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnqueueJob($type: String!, $data: JSON!, $options: JobOptionsInput) {\n    enqueue(type: $type, data: $data, options: $options) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').EnqueueJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnqueueFlow($flow: FlowInput!) {\n    enqueueFlow(flow: $flow) {\n      ...JobFields\n      flow {\n        ...FlowProgressFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').EnqueueFlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').CancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').RetryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobEvents($id: ID!, $since: String, $withLogs: Boolean! = false) {\n    jobEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      job {\n        ...JobFields\n        logs(last: 50) @include(if: $withLogs)\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FlowEvents($id: ID!, $since: String) {\n    flowEvents(id: $id, since: $since) {\n      type\n      cursor\n      at\n      gap\n      log\n      flow {\n        ...FlowProgressFields\n      }\n      job {\n        ...JobFields\n        parent {\n          id\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').FlowEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').JobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($queue: String!, $states: [JobState!], $first: Int!, $after: String) {\n    jobs(queue: $queue, states: $states, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          queue\n          state\n          progress {\n            percent\n          }\n          failedReason\n          attemptsMade\n          maxAttempts\n          createdAt\n          finishedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Queues {\n    queues {\n      name\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        cancelled\n        paused\n      }\n    }\n  }\n"): typeof import('./graphql.js').QueuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workers($queue: String!) {\n    workers(queue: $queue) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n"): typeof import('./graphql.js').WorkersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Schedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      nextRunAt\n      lastJobId\n    }\n  }\n"): typeof import('./graphql.js').SchedulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription QueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      counts {\n        waiting\n        active\n        delayed\n        prioritized\n        completed\n        failed\n        paused\n      }\n    }\n  }\n"): typeof import('./graphql.js').QueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobTypes {\n    jobTypes {\n      name\n      queue\n      description\n      inputType\n    }\n  }\n"): typeof import('./graphql.js').JobTypesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InputTypeFields($name: String!) {\n    __type(name: $name) {\n      name\n      description\n      inputFields {\n        name\n        description\n        defaultValue\n        type {\n          kind\n          name\n          enumValues {\n            name\n          }\n          ofType {\n            kind\n            name\n            enumValues {\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').InputTypeFieldsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FlowChildren($id: ID!, $after: String) {\n    job(id: $id) {\n      id\n      flow {\n        ...FlowProgressFields\n      }\n      children(first: 100, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...JobFields\n            parent {\n              id\n            }\n            flow {\n              total\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').FlowChildrenDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
