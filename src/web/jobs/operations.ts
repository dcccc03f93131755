import { graphql } from '../../client/gql';

/** The registered job types; `inputType` names the input type that describes a type's data. */
export const JobTypesDocument = graphql(`
  query JobTypes {
    jobTypes {
      name
      queue
      description
      inputType
    }
  }
`);

/** The fields of one input type, enough to draw a form for it. */
export const InputTypeFieldsDocument = graphql(`
  query InputTypeFields($name: String!) {
    __type(name: $name) {
      name
      description
      inputFields {
        name
        description
        defaultValue
        type {
          kind
          name
          enumValues {
            name
          }
          ofType {
            kind
            name
            enumValues {
              name
            }
          }
        }
      }
    }
  }
`);

/** Live counts of one queue, pushed when they change (at most every 250 ms). */
export const QueueStatsDocument = graphql(`
  subscription QueueStats($queue: String!) {
    queueStats(queue: $queue) {
      queue
      paused
      counts {
        waiting
        active
        delayed
        prioritized
        completed
        failed
        paused
      }
    }
  }
`);
