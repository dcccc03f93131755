import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function WorkersPage(_props: PageProps) {
  return <p>WorkersPage</p>;
}
