import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator } from './Authenticator';
import type { Role } from './Credential';

export const ROLES = 'roles';
export const PUBLIC = 'public';
/** Marks the routes without a key, which serve no data: the static verification page and the health probes. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Which roles may call a handler. A handler without it is refused to everyone (secure by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Every endpoint is authenticated (`Authorization: Bearer <key>`, scheme in any case, or `X-Api-Key`):
 * no key or an unknown key → 401; too many failures from the address → 429; a known key whose role may
 * not call the endpoint → 403, with a body saying which roles may.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest();
    const principal = this.authenticator.authenticate(req);
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `role ${principal.role} may not do this; allowed: ${allowed.join(', ') || 'nobody'}` });
    }
    req.principal = principal;
    return true;
  }
}
