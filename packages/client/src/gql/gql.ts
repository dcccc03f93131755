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
    "\n  query Me {\n    me {\n      id\n      roles\n    }\n  }\n": typeof types.MeDocument,
    "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      id\n      type\n      queue\n      state\n      data\n      result\n      failedReason\n      stacktrace\n      attempt\n      attemptsMade\n      maxAttempts\n      createdAt\n      startedAt\n      finishedAt\n      runAt\n      expiresAt\n      nextRetryAt\n      worker\n      owner\n      options\n      canControl\n      progress {\n        percent\n        current\n        total\n        message\n      }\n      logEntries(last: 500) {\n        at\n        attempt\n        message\n      }\n      attempts {\n        number\n        startedAt\n        finishedAt\n        outcome\n        error\n      }\n      parent {\n        id\n        type\n        state\n      }\n      children(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            type\n            state\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobPageDocument,
    "\n  subscription JobPageEvents($id: ID!) {\n    jobEvents(id: $id) {\n      type\n      at\n      log\n      job {\n        id\n        state\n        attempt\n        progress {\n          percent\n          current\n          total\n          message\n        }\n      }\n    }\n  }\n": typeof types.JobPageEventsDocument,
    "\n  mutation JobPageCancel($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.JobPageCancelDocument,
    "\n  mutation JobPageRetry($id: ID!) {\n    retryJob(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.JobPageRetryDocument,
    "\n  mutation JobPagePromote($id: ID!) {\n    promoteJob(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.JobPagePromoteDocument,
    "\n  mutation JobPageRemove($id: ID!) {\n    removeJob(id: $id) {\n      id\n    }\n  }\n": typeof types.JobPageRemoveDocument,
    "\n  fragment JobRowFields on Job {\n    id\n    type\n    queue\n    state\n    progress {\n      percent\n    }\n    attempt\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n    canControl\n  }\n": typeof types.JobRowFieldsFragmentDoc,
    "\n  query RecentJobs($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {\n    recentJobs(queue: $queue, states: $states, type: $type, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobRowFields\n        }\n      }\n    }\n  }\n": typeof types.RecentJobsDocument,
    "\n  subscription JobsListEvents($queue: String!) {\n    queueEvents(queue: $queue) {\n      type\n      at\n      job {\n        ...JobRowFields\n      }\n    }\n  }\n": typeof types.JobsListEventsDocument,
    "\n  query JobsListTypes {\n    jobTypes {\n      name\n      queue\n    }\n  }\n": typeof types.JobsListTypesDocument,
    "\n  query JobsListQueues {\n    queues {\n      name\n    }\n  }\n": typeof types.JobsListQueuesDocument,
    "\n  mutation CancelJobRow($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": typeof types.CancelJobRowDocument,
    "\n  mutation RetryJobRow($id: ID!) {\n    retryJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": typeof types.RetryJobRowDocument,
    "\n  mutation PromoteJobRow($id: ID!) {\n    promoteJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": typeof types.PromoteJobRowDocument,
    "\n  mutation RemoveJobRow($id: ID!) {\n    removeJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": typeof types.RemoveJobRowDocument,
    "\n  fragment ConsoleQueueCounts on QueueCounts {\n    waiting\n    active\n    delayed\n    prioritized\n    waitingChildren\n    completed\n    failed\n    cancelled\n    paused\n  }\n": typeof types.ConsoleQueueCountsFragmentDoc,
    "\n  query ConsoleQueues {\n    queues {\n      name\n      paused\n      workerCount\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        perMinute\n      }\n      failed {\n        perMinute\n      }\n    }\n  }\n": typeof types.ConsoleQueuesDocument,
    "\n  query ConsoleQueue($name: String!) {\n    queue(name: $name) {\n      name\n      paused\n      workerCount\n      globalConcurrency\n      limitsOverridden\n      rateLimit {\n        max\n        durationMs\n      }\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        total\n        perMinute\n      }\n      failed {\n        total\n        perMinute\n      }\n      activeJobs(first: 20) {\n        id\n        type\n        state\n        worker\n        startedAt\n      }\n    }\n    workers(queue: $name) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n": typeof types.ConsoleQueueDocument,
    "\n  subscription ConsoleQueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      at\n      counts {\n        ...ConsoleQueueCounts\n      }\n    }\n  }\n": typeof types.ConsoleQueueStatsDocument,
    "\n  mutation ConsolePauseQueue($queue: String!) {\n    pauseQueue(queue: $queue)\n  }\n": typeof types.ConsolePauseQueueDocument,
    "\n  mutation ConsoleResumeQueue($queue: String!) {\n    resumeQueue(queue: $queue)\n  }\n": typeof types.ConsoleResumeQueueDocument,
    "\n  mutation ConsoleDrainQueue($queue: String!, $delayed: Boolean!) {\n    drainQueue(queue: $queue, delayed: $delayed)\n  }\n": typeof types.ConsoleDrainQueueDocument,
    "\n  mutation ConsoleCleanQueue($queue: String!, $state: JobState!, $olderThanSeconds: Int!) {\n    cleanQueue(queue: $queue, state: $state, olderThanSeconds: $olderThanSeconds)\n  }\n": typeof types.ConsoleCleanQueueDocument,
    "\n  mutation ConsoleRetryFailed($queue: String!) {\n    retryFailed(queue: $queue)\n  }\n": typeof types.ConsoleRetryFailedDocument,
    "\n  mutation ConsoleSetQueueRateLimit($queue: String!, $rateLimit: RateLimitInput) {\n    setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) {\n      name\n    }\n  }\n": typeof types.ConsoleSetQueueRateLimitDocument,
    "\n  mutation ConsoleSetQueueGlobalConcurrency($queue: String!, $concurrency: Int) {\n    setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) {\n      name\n    }\n  }\n": typeof types.ConsoleSetQueueGlobalConcurrencyDocument,
    "\n  mutation ConsoleResetQueueLimits($queue: String!) {\n    resetQueueLimits(queue: $queue) {\n      name\n    }\n  }\n": typeof types.ConsoleResetQueueLimitsDocument,
    "\n  query ConsoleSchedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      data\n      nextRunAt\n      lastJobId\n    }\n    jobTypes {\n      name\n      queue\n    }\n  }\n": typeof types.ConsoleSchedulesDocument,
    "\n  query ConsoleScheduleLastJob($id: ID!) {\n    job(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.ConsoleScheduleLastJobDocument,
    "\n  mutation ConsoleUpsertSchedule($schedule: ScheduleInput!) {\n    upsertSchedule(schedule: $schedule) {\n      id\n    }\n  }\n": typeof types.ConsoleUpsertScheduleDocument,
    "\n  mutation ConsoleRemoveSchedule($id: ID!) {\n    removeSchedule(id: $id)\n  }\n": typeof types.ConsoleRemoveScheduleDocument,
    "\n  fragment ConsoleWorkerProcess on WorkerProcess {\n    id\n    host\n    pid\n    queues\n    concurrency\n    startedAt\n    uptimeSeconds\n    lastHeartbeatAt\n    status\n    activeJobs {\n      id\n      queue\n    }\n    processed\n    failed\n    cpuPercent\n    rssBytes\n  }\n": typeof types.ConsoleWorkerProcessFragmentDoc,
    "\n  query ConsoleWorkerProcesses {\n    workerProcesses {\n      ...ConsoleWorkerProcess\n    }\n  }\n": typeof types.ConsoleWorkerProcessesDocument,
    "\n  subscription ConsoleWorkerEvents {\n    workerEvents {\n      kind\n      at\n      worker {\n        ...ConsoleWorkerProcess\n      }\n    }\n  }\n": typeof types.ConsoleWorkerEventsDocument,
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
    "\n  query Me {\n    me {\n      id\n      roles\n    }\n  }\n": types.MeDocument,
    "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      id\n      type\n      queue\n      state\n      data\n      result\n      failedReason\n      stacktrace\n      attempt\n      attemptsMade\n      maxAttempts\n      createdAt\n      startedAt\n      finishedAt\n      runAt\n      expiresAt\n      nextRetryAt\n      worker\n      owner\n      options\n      canControl\n      progress {\n        percent\n        current\n        total\n        message\n      }\n      logEntries(last: 500) {\n        at\n        attempt\n        message\n      }\n      attempts {\n        number\n        startedAt\n        finishedAt\n        outcome\n        error\n      }\n      parent {\n        id\n        type\n        state\n      }\n      children(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            type\n            state\n          }\n        }\n      }\n    }\n  }\n": types.JobPageDocument,
    "\n  subscription JobPageEvents($id: ID!) {\n    jobEvents(id: $id) {\n      type\n      at\n      log\n      job {\n        id\n        state\n        attempt\n        progress {\n          percent\n          current\n          total\n          message\n        }\n      }\n    }\n  }\n": types.JobPageEventsDocument,
    "\n  mutation JobPageCancel($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n": types.JobPageCancelDocument,
    "\n  mutation JobPageRetry($id: ID!) {\n    retryJob(id: $id) {\n      id\n      state\n    }\n  }\n": types.JobPageRetryDocument,
    "\n  mutation JobPagePromote($id: ID!) {\n    promoteJob(id: $id) {\n      id\n      state\n    }\n  }\n": types.JobPagePromoteDocument,
    "\n  mutation JobPageRemove($id: ID!) {\n    removeJob(id: $id) {\n      id\n    }\n  }\n": types.JobPageRemoveDocument,
    "\n  fragment JobRowFields on Job {\n    id\n    type\n    queue\n    state\n    progress {\n      percent\n    }\n    attempt\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n    canControl\n  }\n": types.JobRowFieldsFragmentDoc,
    "\n  query RecentJobs($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {\n    recentJobs(queue: $queue, states: $states, type: $type, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobRowFields\n        }\n      }\n    }\n  }\n": types.RecentJobsDocument,
    "\n  subscription JobsListEvents($queue: String!) {\n    queueEvents(queue: $queue) {\n      type\n      at\n      job {\n        ...JobRowFields\n      }\n    }\n  }\n": types.JobsListEventsDocument,
    "\n  query JobsListTypes {\n    jobTypes {\n      name\n      queue\n    }\n  }\n": types.JobsListTypesDocument,
    "\n  query JobsListQueues {\n    queues {\n      name\n    }\n  }\n": types.JobsListQueuesDocument,
    "\n  mutation CancelJobRow($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": types.CancelJobRowDocument,
    "\n  mutation RetryJobRow($id: ID!) {\n    retryJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": types.RetryJobRowDocument,
    "\n  mutation PromoteJobRow($id: ID!) {\n    promoteJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": types.PromoteJobRowDocument,
    "\n  mutation RemoveJobRow($id: ID!) {\n    removeJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n": types.RemoveJobRowDocument,
    "\n  fragment ConsoleQueueCounts on QueueCounts {\n    waiting\n    active\n    delayed\n    prioritized\n    waitingChildren\n    completed\n    failed\n    cancelled\n    paused\n  }\n": types.ConsoleQueueCountsFragmentDoc,
    "\n  query ConsoleQueues {\n    queues {\n      name\n      paused\n      workerCount\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        perMinute\n      }\n      failed {\n        perMinute\n      }\n    }\n  }\n": types.ConsoleQueuesDocument,
    "\n  query ConsoleQueue($name: String!) {\n    queue(name: $name) {\n      name\n      paused\n      workerCount\n      globalConcurrency\n      limitsOverridden\n      rateLimit {\n        max\n        durationMs\n      }\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        total\n        perMinute\n      }\n      failed {\n        total\n        perMinute\n      }\n      activeJobs(first: 20) {\n        id\n        type\n        state\n        worker\n        startedAt\n      }\n    }\n    workers(queue: $name) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n": types.ConsoleQueueDocument,
    "\n  subscription ConsoleQueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      at\n      counts {\n        ...ConsoleQueueCounts\n      }\n    }\n  }\n": types.ConsoleQueueStatsDocument,
    "\n  mutation ConsolePauseQueue($queue: String!) {\n    pauseQueue(queue: $queue)\n  }\n": types.ConsolePauseQueueDocument,
    "\n  mutation ConsoleResumeQueue($queue: String!) {\n    resumeQueue(queue: $queue)\n  }\n": types.ConsoleResumeQueueDocument,
    "\n  mutation ConsoleDrainQueue($queue: String!, $delayed: Boolean!) {\n    drainQueue(queue: $queue, delayed: $delayed)\n  }\n": types.ConsoleDrainQueueDocument,
    "\n  mutation ConsoleCleanQueue($queue: String!, $state: JobState!, $olderThanSeconds: Int!) {\n    cleanQueue(queue: $queue, state: $state, olderThanSeconds: $olderThanSeconds)\n  }\n": types.ConsoleCleanQueueDocument,
    "\n  mutation ConsoleRetryFailed($queue: String!) {\n    retryFailed(queue: $queue)\n  }\n": types.ConsoleRetryFailedDocument,
    "\n  mutation ConsoleSetQueueRateLimit($queue: String!, $rateLimit: RateLimitInput) {\n    setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) {\n      name\n    }\n  }\n": types.ConsoleSetQueueRateLimitDocument,
    "\n  mutation ConsoleSetQueueGlobalConcurrency($queue: String!, $concurrency: Int) {\n    setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) {\n      name\n    }\n  }\n": types.ConsoleSetQueueGlobalConcurrencyDocument,
    "\n  mutation ConsoleResetQueueLimits($queue: String!) {\n    resetQueueLimits(queue: $queue) {\n      name\n    }\n  }\n": types.ConsoleResetQueueLimitsDocument,
    "\n  query ConsoleSchedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      data\n      nextRunAt\n      lastJobId\n    }\n    jobTypes {\n      name\n      queue\n    }\n  }\n": types.ConsoleSchedulesDocument,
    "\n  query ConsoleScheduleLastJob($id: ID!) {\n    job(id: $id) {\n      id\n      state\n    }\n  }\n": types.ConsoleScheduleLastJobDocument,
    "\n  mutation ConsoleUpsertSchedule($schedule: ScheduleInput!) {\n    upsertSchedule(schedule: $schedule) {\n      id\n    }\n  }\n": types.ConsoleUpsertScheduleDocument,
    "\n  mutation ConsoleRemoveSchedule($id: ID!) {\n    removeSchedule(id: $id)\n  }\n": types.ConsoleRemoveScheduleDocument,
    "\n  fragment ConsoleWorkerProcess on WorkerProcess {\n    id\n    host\n    pid\n    queues\n    concurrency\n    startedAt\n    uptimeSeconds\n    lastHeartbeatAt\n    status\n    activeJobs {\n      id\n      queue\n    }\n    processed\n    failed\n    cpuPercent\n    rssBytes\n  }\n": types.ConsoleWorkerProcessFragmentDoc,
    "\n  query ConsoleWorkerProcesses {\n    workerProcesses {\n      ...ConsoleWorkerProcess\n    }\n  }\n": types.ConsoleWorkerProcessesDocument,
    "\n  subscription ConsoleWorkerEvents {\n    workerEvents {\n      kind\n      at\n      worker {\n        ...ConsoleWorkerProcess\n      }\n    }\n  }\n": types.ConsoleWorkerEventsDocument,
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
export function graphql(source: "\n  query Me {\n    me {\n      id\n      roles\n    }\n  }\n"): typeof import('./graphql.js').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      id\n      type\n      queue\n      state\n      data\n      result\n      failedReason\n      stacktrace\n      attempt\n      attemptsMade\n      maxAttempts\n      createdAt\n      startedAt\n      finishedAt\n      runAt\n      expiresAt\n      nextRetryAt\n      worker\n      owner\n      options\n      canControl\n      progress {\n        percent\n        current\n        total\n        message\n      }\n      logEntries(last: 500) {\n        at\n        attempt\n        message\n      }\n      attempts {\n        number\n        startedAt\n        finishedAt\n        outcome\n        error\n      }\n      parent {\n        id\n        type\n        state\n      }\n      children(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            type\n            state\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobPageEvents($id: ID!) {\n    jobEvents(id: $id) {\n      type\n      at\n      log\n      job {\n        id\n        state\n        attempt\n        progress {\n          percent\n          current\n          total\n          message\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobPageEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobPageCancel($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n"): typeof import('./graphql.js').JobPageCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobPageRetry($id: ID!) {\n    retryJob(id: $id) {\n      id\n      state\n    }\n  }\n"): typeof import('./graphql.js').JobPageRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobPagePromote($id: ID!) {\n    promoteJob(id: $id) {\n      id\n      state\n    }\n  }\n"): typeof import('./graphql.js').JobPagePromoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobPageRemove($id: ID!) {\n    removeJob(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').JobPageRemoveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobRowFields on Job {\n    id\n    type\n    queue\n    state\n    progress {\n      percent\n    }\n    attempt\n    maxAttempts\n    createdAt\n    startedAt\n    finishedAt\n    canControl\n  }\n"): typeof import('./graphql.js').JobRowFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentJobs($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {\n    recentJobs(queue: $queue, states: $states, type: $type, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobRowFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RecentJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobsListEvents($queue: String!) {\n    queueEvents(queue: $queue) {\n      type\n      at\n      job {\n        ...JobRowFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobsListEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsListTypes {\n    jobTypes {\n      name\n      queue\n    }\n  }\n"): typeof import('./graphql.js').JobsListTypesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsListQueues {\n    queues {\n      name\n    }\n  }\n"): typeof import('./graphql.js').JobsListQueuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJobRow($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n"): typeof import('./graphql.js').CancelJobRowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryJobRow($id: ID!) {\n    retryJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n"): typeof import('./graphql.js').RetryJobRowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PromoteJobRow($id: ID!) {\n    promoteJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n"): typeof import('./graphql.js').PromoteJobRowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveJobRow($id: ID!) {\n    removeJob(id: $id) {\n      ...JobRowFields\n    }\n  }\n"): typeof import('./graphql.js').RemoveJobRowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleQueueCounts on QueueCounts {\n    waiting\n    active\n    delayed\n    prioritized\n    waitingChildren\n    completed\n    failed\n    cancelled\n    paused\n  }\n"): typeof import('./graphql.js').ConsoleQueueCountsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleQueues {\n    queues {\n      name\n      paused\n      workerCount\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        perMinute\n      }\n      failed {\n        perMinute\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleQueuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleQueue($name: String!) {\n    queue(name: $name) {\n      name\n      paused\n      workerCount\n      globalConcurrency\n      limitsOverridden\n      rateLimit {\n        max\n        durationMs\n      }\n      counts {\n        ...ConsoleQueueCounts\n      }\n      completed {\n        total\n        perMinute\n      }\n      failed {\n        total\n        perMinute\n      }\n      activeJobs(first: 20) {\n        id\n        type\n        state\n        worker\n        startedAt\n      }\n    }\n    workers(queue: $name) {\n      name\n      address\n      ageSeconds\n      idleSeconds\n    }\n  }\n"): typeof import('./graphql.js').ConsoleQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleQueueStats($queue: String!) {\n    queueStats(queue: $queue) {\n      queue\n      paused\n      at\n      counts {\n        ...ConsoleQueueCounts\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePauseQueue($queue: String!) {\n    pauseQueue(queue: $queue)\n  }\n"): typeof import('./graphql.js').ConsolePauseQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResumeQueue($queue: String!) {\n    resumeQueue(queue: $queue)\n  }\n"): typeof import('./graphql.js').ConsoleResumeQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDrainQueue($queue: String!, $delayed: Boolean!) {\n    drainQueue(queue: $queue, delayed: $delayed)\n  }\n"): typeof import('./graphql.js').ConsoleDrainQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCleanQueue($queue: String!, $state: JobState!, $olderThanSeconds: Int!) {\n    cleanQueue(queue: $queue, state: $state, olderThanSeconds: $olderThanSeconds)\n  }\n"): typeof import('./graphql.js').ConsoleCleanQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRetryFailed($queue: String!) {\n    retryFailed(queue: $queue)\n  }\n"): typeof import('./graphql.js').ConsoleRetryFailedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetQueueRateLimit($queue: String!, $rateLimit: RateLimitInput) {\n    setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) {\n      name\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSetQueueRateLimitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetQueueGlobalConcurrency($queue: String!, $concurrency: Int) {\n    setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) {\n      name\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSetQueueGlobalConcurrencyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResetQueueLimits($queue: String!) {\n    resetQueueLimits(queue: $queue) {\n      name\n    }\n  }\n"): typeof import('./graphql.js').ConsoleResetQueueLimitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSchedules {\n    schedules {\n      id\n      type\n      queue\n      cron\n      everyMs\n      timeZone\n      data\n      nextRunAt\n      lastJobId\n    }\n    jobTypes {\n      name\n      queue\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSchedulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleScheduleLastJob($id: ID!) {\n    job(id: $id) {\n      id\n      state\n    }\n  }\n"): typeof import('./graphql.js').ConsoleScheduleLastJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpsertSchedule($schedule: ScheduleInput!) {\n    upsertSchedule(schedule: $schedule) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').ConsoleUpsertScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRemoveSchedule($id: ID!) {\n    removeSchedule(id: $id)\n  }\n"): typeof import('./graphql.js').ConsoleRemoveScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleWorkerProcess on WorkerProcess {\n    id\n    host\n    pid\n    queues\n    concurrency\n    startedAt\n    uptimeSeconds\n    lastHeartbeatAt\n    status\n    activeJobs {\n      id\n      queue\n    }\n    processed\n    failed\n    cpuPercent\n    rssBytes\n  }\n"): typeof import('./graphql.js').ConsoleWorkerProcessFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWorkerProcesses {\n    workerProcesses {\n      ...ConsoleWorkerProcess\n    }\n  }\n"): typeof import('./graphql.js').ConsoleWorkerProcessesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleWorkerEvents {\n    workerEvents {\n      kind\n      at\n      worker {\n        ...ConsoleWorkerProcess\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleWorkerEventsDocument;
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
