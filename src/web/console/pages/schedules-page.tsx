import type { PageProps } from '../page-props';

/** Placeholder until the page lands. */
export function SchedulesPage(_props: PageProps) {
  return <p>SchedulesPage</p>;
}
