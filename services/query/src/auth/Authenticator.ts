import { UnauthorizedException } from '@nestjs/common';
import { apiKeyOf } from './apiKeyOf';
import { UNAUTHORIZED, type CredentialStore, type Principal } from './Credential';
import type { FailedAuthThrottle } from './FailedAuthThrottle';
import { TooManyFailedAuthentications } from './TooManyFailedAuthentications';

/** What authentication needs of a request (Express's request has it). */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Client address as Express computes it (honours `trust proxy`). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * The one authentication step, shared by the roles guard (controllers) and the documentation
 * middleware: a throttled address → 429, no or an unknown key → 401 (and the failure counted),
 * otherwise the principal.
 */
export class Authenticator {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly throttle: FailedAuthThrottle,
    private readonly now: () => number = Date.now,
  ) {}

  authenticate(req: AuthRequest): Principal {
    const address = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
    const t = this.now();
    const wait = this.throttle.retryAfter(address, t);
    if (wait > 0) throw new TooManyFailedAuthentications(wait);
    const principal = this.credentials.authenticate(apiKeyOf(req.headers));
    if (!principal) {
      this.throttle.fail(address, t);
      throw new UnauthorizedException(UNAUTHORIZED);
    }
    return principal;
  }
}
