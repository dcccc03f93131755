import { graphql } from '@jobgate/client/gql';

/** Who the token (or its absence) makes the caller: decides what the pages offer. */
export const MeDocument = graphql(`
  query Me {
    me {
      id
      roles
    }
  }
`);
