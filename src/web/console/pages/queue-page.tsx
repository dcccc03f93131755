import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function QueuePage({ name }: PageProps & { name: string }) {
  return <p>QueuePage {name}</p>;
}
