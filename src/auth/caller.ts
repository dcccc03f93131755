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

/** Who is calling: the owner recorded on the jobs it enqueues, and what it may do. */
export interface Caller {
  id: string;
  roles: readonly Role[];
}

/** The caller of dev mode (no authentication configured). */
export const DEV_CALLER: Caller = { id: 'dev', roles: [Role.ADMIN, Role.VIEWER, Role.SUBMITTER] };

export const hasRole = (caller: Caller, role: Role): boolean => caller.roles.includes(role);

/** Whether `caller` may read jobs owned by `owner`. */
export const canRead = (caller: Caller, owner: string | undefined): boolean =>
  owner === caller.id || hasRole(caller, Role.ADMIN) || hasRole(caller, Role.VIEWER);

/** Whether `caller` may cancel, retry or remove jobs owned by `owner`. */
export const canControl = (caller: Caller, owner: string | undefined): boolean =>
  owner === caller.id || hasRole(caller, Role.ADMIN);

/** Refuses with FORBIDDEN unless `caller` holds `role`. */
export function requireRole(caller: Caller, role: Role, action: string): void {
  if (!hasRole(caller, role)) throw forbidden(action);
}
