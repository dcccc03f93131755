import { graphql } from '@jobgate/client/gql';

/** Every schedule, and the job types a schedule may enqueue (for the form). */
export const ConsoleSchedulesDocument = graphql(`
  query ConsoleSchedules {
    schedules {
      id
      type
      queue
      cron
      everyMs
      timeZone
      data
      nextRunAt
      lastJobId
    }
    jobTypes {
      name
      queue
    }
  }
`);

/** The state of a schedule's last job (one small request per row that has one). */
export const ConsoleScheduleLastJobDocument = graphql(`
  query ConsoleScheduleLastJob($id: ID!) {
    job(id: $id) {
      id
      state
    }
  }
`);

/** Creates or replaces a schedule (admin). */
export const ConsoleUpsertScheduleDocument = graphql(`
  mutation ConsoleUpsertSchedule($schedule: ScheduleInput!) {
    upsertSchedule(schedule: $schedule) {
      id
    }
  }
`);

/** Removes a schedule (admin); false when there was none. */
export const ConsoleRemoveScheduleDocument = graphql(`
  mutation ConsoleRemoveSchedule($id: ID!) {
    removeSchedule(id: $id)
  }
`);
