import type { Logger } from 'pino';
import type { Config } from '../config';
import { EventHub } from '../events/event-hub';
import { createRedis, type RedisClient } from '../redis/connections';
import { enabledJobDefinitions, JobRegistry } from '../jobs/registry';
import { CancelledJobs } from './cancelled-jobs';
import { EnqueueService } from './enqueue.service';
import { FlowProgressService } from './flow-progress';
import { FlowService } from './flow.service';
import { JobPreparer } from './job-preparer';
import { JobControlService } from './job-control.service';
import { JobListService } from './job-list.service';
import { QueueControlService } from './queue-control.service';
import { RecentJobsService } from './recent-jobs';
import { QueueMonitor } from './queue-monitor.service';
import { QueueStatsHub } from './queue-stats-hub';
import { ScheduleService } from './schedules';
import { JobStore } from './job-store';
import { QueueSet } from './queue-set';
import { EnqueueRateLimiter } from './rate-limiter';
import { WorkerRegistry } from './worker-registry';

/** Everything resolvers call, built once per gateway process. */
export interface Services {
  config: Config;
  registry: JobRegistry;
  redis: RedisClient;
  store: JobStore;
  enqueue: EnqueueService;
  /** Adds flows (`enqueueFlow`, and types that declare children). */
  flows: FlowService;
  /** Reads flows: children, whole trees, aggregate progress. */
  flowReader: FlowProgressService;
  jobList: JobListService;
  /** `recentJobs`: jobs across queues, newest first. */
  recentJobs: RecentJobsService;
  control: JobControlService;
  queueControl: QueueControlService;
  schedules: ScheduleService;
  hub: EventHub;
  /** Queue and worker monitoring reads. */
  monitor: QueueMonitor;
  /** `queueStats` pollers, one per watched queue. */
  queueStats: QueueStatsHub;
  /** Worker processes from their heartbeats (`workerProcesses`, `workerEvents`). */
  workerRegistry: WorkerRegistry;
  close(): Promise<void>;
}

/** Opens the gateway's Redis connections and wires the services together. */
export function createServices(config: Config, logger: Logger, registry = new JobRegistry(enabledJobDefinitions(config))): Services {
  const redis = createRedis(config, 'command', 'jobgate:gateway');
  redis.on('error', () => undefined);
  const queues = new QueueSet(config, redis, registry.queues);
  const cancelled = new CancelledJobs(config, redis, queues);
  const store = new JobStore(config, redis, queues, cancelled);
  const preparer = new JobPreparer(config, registry);
  const rateLimiter = new EnqueueRateLimiter(config, redis);
  const flows = new FlowService(config, redis, preparer, rateLimiter);
  const enqueue = new EnqueueService(config, preparer, store, rateLimiter, flows);
  const flowReader = new FlowProgressService(redis, queues, store);
  const control = new JobControlService(config, redis, store, enqueue, flowReader);
  const hub = new EventHub(config, redis, () => createRedis(config, 'blocking', 'jobgate:gateway:events'), store, logger);
  const monitor = new QueueMonitor(queues, redis, cancelled);
  const queueStats = new QueueStatsHub(monitor, logger);
  const workerRegistry = new WorkerRegistry(config, redis, logger);
  return {
    config,
    registry,
    redis,
    store,
    enqueue,
    flows,
    flowReader,
    jobList: new JobListService(config, redis, store),
    recentJobs: new RecentJobsService(config, redis, store, registry),
    queueControl: new QueueControlService(queues),
    schedules: new ScheduleService(config, registry, queues, redis, enqueue),
    control,
    hub,
    monitor,
    queueStats,
    workerRegistry,
    async close() {
      queueStats.close();
      workerRegistry.close();
      await hub.close();
      await flows.close();
      await queues.close();
      redis.disconnect();
    },
  };
}
