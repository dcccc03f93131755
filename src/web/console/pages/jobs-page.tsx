import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function JobsPage(_props: PageProps) {
  return <p>JobsPage</p>;
}
