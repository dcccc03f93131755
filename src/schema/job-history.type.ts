import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JobAttemptOutcome } from '../jobs/job-view';
import { DateTimeScalar } from './scalars';

registerEnumType(JobAttemptOutcome, {
  name: 'JobAttemptOutcome',
  description: 'How one attempt of a job ended, or that it runs.',
  valuesConfig: {
    STALLED: { description: 'Its worker stopped answering (stalled, crashed): the attempt ran again, or the job failed.' },
  },
});

@ObjectType('JobLogEntry', { description: 'One log line of a job, with when and during which attempt the processor wrote it.' })
export class JobLogEntryType {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Null for lines written before Jobgate stamped them.' })
  at!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The attempt (from 1) that wrote it; null for lines written before Jobgate stamped them.',
  })
  attempt!: number | null;

  @Field(() => String)
  message!: string;
}

@ObjectType('JobAttempt', { description: "One run of a job's processor, as its worker recorded it." })
export class JobAttemptType {
  @Field(() => Int, {
    description:
      'Counted like Job.attempt, from 1. A stalled run is followed by one of the same number; a retried job counts from 1 again.',
  })
  number!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => JobAttemptOutcome)
  outcome!: JobAttemptOutcome;

  @Field(() => String, { nullable: true, description: 'The error message of a FAILED or CANCELLED attempt.' })
  error!: string | null;
}
