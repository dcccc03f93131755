import { Field, Float, InputType, Int } from 'type-graphql';
import { BackoffType, ChildFailurePolicy } from './enums';
import { DateTimeScalar, JSONScalar } from './scalars';

@InputType('BackoffInput', {
  description:
    "Delay between attempts; replaces the job type's backoff as a whole. A job type's countdowns per kind of error (code, declared per type) still apply to the errors they name.",
})
export class BackoffInput {
  @Field(() => BackoffType)
  type!: BackoffType;

  @Field(() => Int, { description: 'The first retry waits this long, ms; EXPONENTIAL doubles it at each further retry.' })
  delayMs!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The longest delay, ms (Celery retry_backoff_max): from delayMs to 2147483647, which is also the cap when absent.',
  })
  maxDelayMs?: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'From 0 to 1: the random fraction of each delay (Celery retry_jitter). With 0.5 a delay of 10 s is one from 5 to 10 s; 1 is Celery retry_jitter=True. 0 when absent.',
  })
  jitter?: number;
}

@InputType('JobOptionsInput', { description: "Per-job options; each overrides the job type's default." })
export class JobOptionsInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'Run no earlier than this many ms from now (Celery countdown): at most 2147483647 (a GraphQL Int, about 24.8 days); give runAt for later. Exclusive with runAt.',
  })
  delayMs?: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Run no earlier than this instant (Celery eta), at most 365 days ahead; one in the past runs at once. Exclusive with delayMs.',
  })
  runAt?: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Do not start after this instant (Celery expires): an attempt a worker picks up later is not run, and the job ends FAILED with a reason starting "expired", without retry. After runAt or delayMs, and in the future.',
  })
  expiresAt?: Date;

  @Field(() => String, {
    nullable: true,
    description:
      "Another queue than the job type's own, among the extra queues its definition allows (Celery apply_async(queue=…)); BAD_USER_INPUT for any other. Its own queue when absent.",
  })
  queue?: string;

  @Field(() => Int, { nullable: true, description: '1 is the highest priority, 2097152 the lowest; 0 or absent: none.' })
  priority?: number;

  @Field(() => Int, { nullable: true, description: 'Attempts in all, 1 to 100.' })
  attempts?: number;

  @Field(() => BackoffInput, { nullable: true })
  backoff?: BackoffInput;

  @Field(() => String, { nullable: true, description: 'While a job with this key is not finished, enqueueing again returns it.' })
  dedupKey?: string;

  @Field(() => Int, { nullable: true, description: 'Remove the job this many seconds after it completes.' })
  removeOnCompleteAfterSeconds?: number;

  @Field(() => ChildFailurePolicy, {
    nullable: true,
    description: 'Only on a child of a flow: what its failure does to its parent. FAIL_PARENT when absent.',
  })
  onChildFailure?: ChildFailurePolicy;
}

@InputType('EnqueueInput', { description: 'One job of an enqueueMany batch.' })
export class EnqueueInput {
  @Field(() => String)
  type!: string;

  @Field(() => JSONScalar)
  data!: unknown;

  @Field(() => JobOptionsInput, { nullable: true })
  options?: JobOptionsInput;
}

@InputType('FlowInput', { description: 'One job of a flow and its children, which all complete before it runs.' })
export class FlowInput {
  @Field(() => String)
  type!: string;

  @Field(() => JSONScalar)
  data!: unknown;

  @Field(() => JobOptionsInput, { nullable: true })
  options?: JobOptionsInput;

  @Field(() => [FlowInput], { nullable: true, description: 'Jobs of any type and queue that run before this one.' })
  children?: FlowInput[];
}
