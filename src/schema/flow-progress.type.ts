import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType('FlowProgress', { description: "A flow's descendants (all levels below a job) counted by state, and their mean progress." })
export class FlowProgressType {
  @Field(() => Int, { description: 'Descendants in all.' })
  total!: number;

  @Field(() => Int, { description: 'Not started yet: waiting, prioritized, delayed, or waiting for children of their own.' })
  waiting!: number;

  @Field(() => Int)
  active!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Float, {
    description: "Mean of the descendants' progress percent, a finished one (completed, failed, cancelled) counting 100.",
  })
  percent!: number;
}
