import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { defineJob } from './job-definition';

@InputType({ description: 'Input of the helloWorld job.' })
export class HelloWorldInput {
  @Field(() => String, { nullable: true, description: 'Who to greet.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** The smallest job type: a template to copy. */
export const helloWorld = defineJob({
  name: 'helloWorld',
  queue: 'default',
  description: 'Returns a greeting.',
  input: HelloWorldInput,
  defaults: { attempts: 1 },
  async process(input, { logger }) {
    const greeting = `Hello, ${input.name ?? 'Async World'}!`;
    logger.info({ greeting }, 'greeted');
    return { greeting };
  },
});
