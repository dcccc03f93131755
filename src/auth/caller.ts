import { forbidden } from '../errors';

/** Roles a caller may hold. */
export const Role = {
  /** Enqueue; see, watch, cancel and retry its own jobs. */
  SUBMITTER: 'submitter',
  /** Read every job and queue. */
  VIEWER: 'viewer',
  /** Everything, including queue actions and schedules. */
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/**
 * Owner ids, one namespace per kind of credential: a JWT subject `bob` is `jwt:bob`, an API
 * key's owner `bob` is `key:bob`, and Jobgate's own owners (schedules, dev mode) are
 * `system:<name>`, which no credential can name. Every id has a prefix, so no name of one
 * kind can spell an id of another.
 */
export const OwnerId = {
  jwt: (subject: string): string => `jwt:${subject}`,
  apiKey: (owner: string): string => `key:${owner}`,
  system: (name: string): string => `system:${name}`,
} as const;

/** Who is calling: the owner recorded on the jobs it enqueues, and what it may do. */
export interface Caller {
  id: string;
  roles: readonly Role[];
}

/** The caller of dev mode (no authentication configured). */
export const DEV_CALLER: Caller = { id: OwnerId.system('dev'), roles: [Role.ADMIN, Role.VIEWER, Role.SUBMITTER] };

export const hasRole = (caller: Caller, role: Role): boolean => caller.roles.includes(role);

/** Whether `caller` may read everything: jobs of every owner, queues, workers, schedules. */
export const readsAll = (caller: Caller): boolean => hasRole(caller, Role.ADMIN) || hasRole(caller, Role.VIEWER);

/** Refuses with FORBIDDEN unless `caller` {@link readsAll}. */
export function requireReadAll(caller: Caller, action: string): void {
  if (!readsAll(caller)) throw forbidden(action);
}

/** Whether `caller` may read jobs owned by `owner`. */
export const canRead = (caller: Caller, owner: string | undefined): boolean => owner === caller.id || readsAll(caller);

/** Whether `caller` may cancel, retry or remove jobs owned by `owner`. */
export const canControl = (caller: Caller, owner: string | undefined): boolean => owner === caller.id || hasRole(caller, Role.ADMIN);

/** Refuses with FORBIDDEN unless `caller` holds `role`. */
export function requireRole(caller: Caller, role: Role, action: string): void {
  if (!hasRole(caller, role)) throw forbidden(action);
}
