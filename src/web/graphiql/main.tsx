import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { StorageAPI } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_TABS } from './examples';
import { createJobgateFetcher } from './fetcher';

const container = document.getElementById('root');
if (container === null) throw new Error('expected a #root element in graphiql.html, got none');

// GraphiQL fills its editors from `initialQuery` and `initialVariables`, not from the first of
// `defaultTabs` (it takes that tab's query, but leaves its variables empty): so a first visit, with
// no tabs saved under GraphiQL's `tabState` key, passes the first example's; a later visit passes
// nothing, or GraphiQL would open a new tab for them beside the user's own.
const firstVisit = new StorageAPI().get('tabState') === null;
const [firstExample] = EXAMPLE_TABS;

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={createJobgateFetcher()}
      defaultTabs={EXAMPLE_TABS}
      {...(firstVisit && { initialQuery: firstExample.query, initialVariables: firstExample.variables })}
      // The examples take variables (a job id to paste): show that editor from the start.
      defaultEditorToolsVisibility="variables"
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    />
  </StrictMode>,
);
