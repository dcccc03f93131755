import { Field, ObjectType } from 'type-graphql';
import { JobEventType } from './enums';
import { FlowProgressType } from './flow-progress.type';
import { JobType } from './job.type';
import { DateTimeScalar } from './scalars';

@ObjectType('JobEvent', { description: 'Something that happened to a job, with the job as of then.' })
export class JobEventObject {
  @Field(() => JobEventType)
  type!: JobEventType;

  @Field(() => String, { description: "Position in the queue's event stream; give it back as `since` to resume." })
  cursor!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => Boolean, {
    description: "True when events were missed (resumed past the stream's retention) and this SNAPSHOT replaces them.",
  })
  gap!: boolean;

  @Field(() => String, { nullable: true, description: 'The line of a LOG event.' })
  log!: string | null;

  @Field(() => JobType, { description: 'The job as of this event.' })
  job!: JobType;

  @Field(() => FlowProgressType, {
    nullable: true,
    description:
      "In `flowEvents`, the flow's aggregate (over every descendant of the watched root) as of this event; a replayed event carries it as of the resume. Null elsewhere.",
  })
  flow!: FlowProgressType | null;
}
