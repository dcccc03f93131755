import type { JobgateClient } from '@jobgate/client';

/** The roles of the signed-in caller, as `me` answers them. */
export type CallerRole = 'ADMIN' | 'VIEWER' | 'SUBMITTER';

/** Who is looking at the console: decides which actions a page offers. */
export interface ConsoleCaller {
  id: string;
  roles: readonly CallerRole[];
}

/** What every console page is given by the shell (console.tsx). */
export interface PageProps {
  client: JobgateClient;
  caller: ConsoleCaller;
}

/** Whether the caller reads every job, queue, worker and schedule (viewer or admin). */
export const readsAll = (caller: ConsoleCaller): boolean => caller.roles.includes('ADMIN') || caller.roles.includes('VIEWER');

/** Whether the caller may run queue actions and edit schedules. */
export const isAdmin = (caller: ConsoleCaller): boolean => caller.roles.includes('ADMIN');
