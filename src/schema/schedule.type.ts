import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from './scalars';

@ObjectType('Schedule', { description: 'A repeating job (Celery beat): a BullMQ job scheduler.' })
export class ScheduleType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The job type it enqueues.' })
  type!: string;

  @Field(() => String)
  queue!: string;

  @Field(() => String, { nullable: true })
  cron!: string | null;

  @Field(() => Int, { nullable: true })
  everyMs!: number | null;

  @Field(() => String, { nullable: true })
  timeZone!: string | null;

  @Field(() => JSONScalar)
  data!: unknown;

  @Field(() => DateTimeScalar, { nullable: true })
  nextRunAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The last job it started (as seen by a Jobgate worker).' })
  lastJobId!: string | null;
}

@InputType('ScheduleInput', { description: 'A schedule to create or replace: exactly one of cron and everyMs.' })
export class ScheduleInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  type!: string;

  @Field(() => String, { nullable: true, description: 'Cron pattern, e.g. "0 2 * * *".' })
  cron?: string;

  @Field(() => Int, { nullable: true, description: 'Interval in ms (at least 1000).' })
  everyMs?: number;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the cron pattern; SCHEDULE_TZ by default.' })
  timeZone?: string;

  @Field(() => JSONScalar, { nullable: true, description: 'Data of each job, validated like an enqueue.' })
  data?: unknown;
}
