import { graphql } from '@jobgate/client/gql';

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

/**
 * A page of a job's direct children, for drawing a flow's tree: each with `flow { total }` to
 * tell whether it has children of its own (then its children are listed too). The job's own
 * `flow` settles the root's aggregate once its watch has ended.
 */
export const FlowChildrenDocument = graphql(`
  query FlowChildren($id: ID!, $after: String) {
    job(id: $id) {
      id
      flow {
        ...FlowProgressFields
      }
      children(first: 100, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...JobFields
            parent {
              id
            }
            flow {
              total
            }
          }
        }
      }
    }
  }
`);
