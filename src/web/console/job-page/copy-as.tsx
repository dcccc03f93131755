import { useState } from 'react';
import { graphqlHttpUrl } from '../../shared/endpoint';
import { curlSnippet, graphqlSnippet, typescriptSnippet, type EnqueueRecipe } from './snippets';

const FORMATS = {
  curl: { label: 'curl', text: (recipe: EnqueueRecipe) => curlSnippet(recipe, graphqlHttpUrl()) },
  graphql: { label: 'GraphQL', text: (recipe: EnqueueRecipe) => graphqlSnippet(recipe) },
  typescript: { label: 'TypeScript', text: (recipe: EnqueueRecipe) => typescriptSnippet(recipe, graphqlHttpUrl()) },
} as const;

type Format = keyof typeof FORMATS;

/** Copies to the clipboard how to enqueue a job like this one: as curl, as a GraphQL mutation, as a @jobgate/client call. */
export function CopyAs({ recipe }: { recipe: EnqueueRecipe }) {
  const [copied, setCopied] = useState<{ format: Format; ok: boolean }>();
  const copy = async (format: Format): Promise<void> => {
    try {
      await navigator.clipboard.writeText(FORMATS[format].text(recipe));
      setCopied({ format, ok: true });
    } catch {
      setCopied({ format, ok: false });
    }
  };
  return (
    <div className="copy-as" role="group" aria-label="Copy as">
      <span className="muted">Copy as</span>
      {(Object.keys(FORMATS) as Format[]).map((format) => (
        <button key={format} type="button" className="secondary" data-testid={`copy-${format}`} onClick={() => void copy(format)}>
          {FORMATS[format].label}
        </button>
      ))}
      <span role="status" data-testid="copy-status">
        {copied === undefined ? '' : copied.ok ? `${FORMATS[copied.format].label} copied` : 'the clipboard refused'}
      </span>
    </div>
  );
}
