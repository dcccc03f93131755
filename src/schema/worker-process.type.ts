import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

/** Whether a worker process still heartbeats. */
export enum WorkerStatus {
  ONLINE = 'ONLINE',
  LOST = 'LOST',
}

/** What happened to a worker process. */
export enum WorkerEventKind {
  ONLINE = 'ONLINE',
  OFFLINE = 'OFFLINE',
  LOST = 'LOST',
  /** A new heartbeat of an ONLINE worker: its figures now. */
  HEARTBEAT = 'HEARTBEAT',
}

registerEnumType(WorkerStatus, { name: 'WorkerStatus', description: 'Whether a worker process still heartbeats.' });
registerEnumType(WorkerEventKind, { name: 'WorkerEventKind', description: 'What happened to a worker process.' });

@ObjectType('WorkerActiveJob', { description: 'A job a worker process runs now.' })
export class WorkerActiveJobType {
  @Field(() => ID, { description: "The job's id, as `Job.id`." })
  id!: string;

  @Field(() => String)
  queue!: string;
}

@ObjectType('WorkerProcess', { description: 'A Jobgate worker process, as its heartbeats describe it (viewer or admin).' })
export class WorkerProcessType {
  @Field(() => ID, { description: '`<host>:<pid>`, as Job.worker shows it.' })
  id!: string;

  @Field(() => String)
  host!: string;

  @Field(() => Int)
  pid!: number;

  @Field(() => [String])
  queues!: string[];

  @Field(() => Int, { description: 'Jobs it runs at once per queue.' })
  concurrency!: number;

  @Field(() => DateTimeScalar)
  startedAt!: Date;

  @Field(() => Int)
  uptimeSeconds!: number;

  @Field(() => DateTimeScalar)
  lastHeartbeatAt!: Date;

  @Field(() => WorkerStatus, { description: 'LOST once no heartbeat came for 3 heartbeat intervals.' })
  status!: WorkerStatus;

  @Field(() => [WorkerActiveJobType], { description: 'Ids of the jobs it runs now (with their queue).' })
  activeJobs!: WorkerActiveJobType[];

  @Field(() => Int, { description: 'Attempts it finished since it started, failed ones included.' })
  processed!: number;

  @Field(() => Int, { description: 'Attempts that failed (cancelled ones included), of those processed.' })
  failed!: number;

  @Field(() => Float, { description: 'CPU used over the last heartbeat interval, percent of one core.' })
  cpuPercent!: number;

  @Field(() => Float)
  rssBytes!: number;
}

@ObjectType('WorkerEvent', { description: 'A worker process started, stopped cleanly, or stopped heartbeating.' })
export class WorkerEventType {
  @Field(() => WorkerEventKind)
  kind!: WorkerEventKind;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => WorkerProcessType, { description: 'OFFLINE: the worker as its last heartbeat described it.' })
  worker!: WorkerProcessType;
}
