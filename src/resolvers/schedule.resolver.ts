import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireReadAll } from '../auth/caller';
import type { ScheduleView } from '../services/schedules';
import { ScheduleInput, ScheduleType } from '../schema/schedule.type';
import type { RequestContext } from './context';

@Resolver(() => ScheduleType)
export class ScheduleResolver {
  @Query(() => [ScheduleType], { description: 'Every schedule, with its next run time and the last job it started.' })
  schedules(@Ctx() { services, caller }: RequestContext): Promise<ScheduleView[]> {
    requireReadAll(caller, 'list schedules');
    return services.schedules.list();
  }

  @Mutation(() => ScheduleType, { description: 'Creates or replaces a schedule (admin).' })
  upsertSchedule(
    @Arg('schedule', () => ScheduleInput) schedule: ScheduleInput,
    @Ctx() { services, caller }: RequestContext,
  ): Promise<ScheduleView> {
    return services.schedules.upsert({ ...schedule }, caller);
  }

  @Mutation(() => Boolean, { description: 'Removes a schedule (admin); false when there was none.' })
  removeSchedule(@Arg('id', () => ID) id: string, @Ctx() { services, caller }: RequestContext): Promise<boolean> {
    return services.schedules.remove(id, caller);
  }
}
