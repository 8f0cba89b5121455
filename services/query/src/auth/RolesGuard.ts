import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { apiKeyOf, CredentialStore, UNAUTHORIZED, type Role } from './Credential';

export const ROLES = 'roles';
export const PUBLIC = 'public';
/** Marks the static verification page, which serves no data: the only route without a key. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Which roles may call a handler. A handler without it is refused to everyone (secure by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Every endpoint is authenticated (`Authorization: Bearer <key>` or `X-Api-Key`): no key or an unknown
 * key → 401; a known key whose role may not call the endpoint → 403, with a body saying which roles may.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CredentialStore) private readonly credentials: CredentialStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest();
    const principal = this.credentials.authenticate(apiKeyOf(req.headers));
    if (!principal) throw new UnauthorizedException(UNAUTHORIZED);
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `role ${principal.role} may not do this; allowed: ${allowed.join(', ') || 'nobody'}` });
    }
    req.principal = principal;
    return true;
  }
}
