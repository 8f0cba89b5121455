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

  /** Each handler's metadata, read once per controller class and handler (a handler a base class gives several controllers has each one's roles). */
  private readonly access = new WeakMap<object, Map<object, { public: boolean; allowed: Role[] }>>();

  canActivate(context: ExecutionContext): boolean {
    const access = this.accessOf(context);
    if (access.public) return true;
    const req = context.switchToHttp().getRequest();
    const principal = this.authenticator.authenticate(req);
    if (!access.allowed.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `role ${principal.role} may not do this; allowed: ${access.allowed.join(', ') || 'nobody'}` });
    }
    req.principal = principal;
    return true;
  }

  private accessOf(context: ExecutionContext): { public: boolean; allowed: Role[] } {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofController = this.access.get(controller);
    if (!ofController) this.access.set(controller, (ofController = new Map()));
    let access = ofController.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = { public: Boolean(this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)), allowed: this.reflector.getAllAndOverride<Role[]>(ROLES, targets) ?? [] };
      ofController.set(handler, access);
    }
    return access;
  }
}
