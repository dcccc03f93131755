import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function JobPage({ id }: PageProps & { id: string }) {
  return <p>JobPage {id}</p>;
}
