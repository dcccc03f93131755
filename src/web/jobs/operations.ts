import { graphql } from '../../client/gql';
import { TypedDocumentString } from '../../client/gql/graphql';

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

/** Live counts of one queue, as `queueStats` pushes them. */
export interface QueueStatsResult {
  queueStats: {
    queue: string;
    counts: { waiting: number; active: number; delayed: number; prioritized: number; completed: number; failed: number; paused: number };
  };
}

/**
 * `queueStats` is not in the gateway's schema yet (job control and monitoring come later),
 * so this document is typed by hand and left out of codegen, which validates against the
 * schema; a gateway without it answers with an error and the panel says counts are unavailable.
 */
export const QueueStatsDocument = new TypedDocumentString(`
  subscription QueueStats($queue: String!) {
    queueStats(queue: $queue) {
      queue
      counts { waiting active delayed prioritized completed failed paused }
    }
  }
`) as unknown as TypedDocumentString<QueueStatsResult, { queue: string }>;
