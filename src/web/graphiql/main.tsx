import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_TABS } from './examples';
import { createJobgateFetcher } from './fetcher';

const container = document.getElementById('root');
if (container === null) throw new Error('expected a #root element in graphiql.html, got none');

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={createJobgateFetcher()}
      defaultTabs={EXAMPLE_TABS}
      // The examples take variables (a job id to paste): show that editor from the start.
      defaultEditorToolsVisibility="variables"
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    />
  </StrictMode>,
);
