import { EnqueueWorkbench } from '../../jobs/jobs-page';
import type { PageProps } from '../page-props';

/** Enqueue a job or a flow from a form and watch it run: the workbench under the console's frame. */
export function EnqueuePage({ client }: PageProps) {
  return <EnqueueWorkbench client={client} />;
}
