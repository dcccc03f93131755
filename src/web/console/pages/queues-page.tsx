import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function QueuesPage(_props: PageProps) {
  return <p>QueuesPage</p>;
}
