import { Ctx, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/caller';
import { CallerRole, CallerType } from '../schema/caller.type';
import type { RequestContext } from './context';

const ROLES: Record<Role, CallerRole> = {
  [Role.ADMIN]: CallerRole.ADMIN,
  [Role.VIEWER]: CallerRole.VIEWER,
  [Role.SUBMITTER]: CallerRole.SUBMITTER,
};

@Resolver(() => CallerType)
export class MeResolver {
  @Query(() => CallerType, { description: 'The caller: its owner id and roles (answers for any authenticated caller).' })
  me(@Ctx() { caller }: RequestContext): CallerType {
    return { id: caller.id, roles: caller.roles.map((role) => ROLES[role]) };
  }
}
