/** One of GraphiQL's `defaultTabs`, with the query every example has. */
interface ExampleTab {
  query: string;
  variables?: string;
}

/**
 * Tabs a first visit opens with (GraphiQL keeps the user's own tabs afterwards): enqueue
 * an import, then watch it live.
 */
export const EXAMPLE_TABS: [ExampleTab, ...ExampleTab[]] = [
  {
    query: `# Enqueue an import. Copy the returned id into the "Watch a job" tab's variables.
# With auth on, add {"Authorization": "Bearer <token>"} in the Headers editor below.
mutation EnqueueImport($input: ImportPartsInput!) {
  importParts(input: $input) {
    id
    type
    queue
    state
  }
}
`,
    variables: JSON.stringify({ input: { project: 'apollo', phase: 'build', stage: 'frame', items: 50, msPerItem: 100 } }, null, 2),
  },
  {
    query: `# Watch a job live: a SNAPSHOT first, then every event until a final one.
subscription WatchJob($id: ID!, $since: String) {
  jobEvents(id: $id, since: $since) {
    type
    cursor
    job {
      state
      progress { percent current total }
      result
      failedReason
    }
  }
}
`,
    variables: JSON.stringify({ id: 'paste-the-job-id-here' }, null, 2),
  },
  {
    query: `# The registered job types and the queues they run on.
query JobTypes {
  jobTypes {
    name
    queue
    description
    defaultOptions
  }
}
`,
  },
];
