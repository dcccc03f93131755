import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function EnqueuePage(_props: PageProps) {
  return <p>EnqueuePage</p>;
}
