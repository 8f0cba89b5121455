import type { Authenticator, AuthRequest } from './Authenticator';

/** The paths the OpenAPI document and Swagger UI are served under (outside Nest's controllers). */
export const DOCS_PATH = 'docs';

/**
 * True for every spelling of a documentation path: `/docs`, `/docs-json`, `/docs/…` in any letter case
 * and with percent-encoded letters (`/DOCS-json`, `/%64ocs`). Matching more than the router does is
 * the safe side: such a path needs a key, then finds nothing.
 */
export function isDocsPath(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // not decodable: compare as it is
  }
  return decoded.toLowerCase().replace(/^\/+/, '/').startsWith(`/${DOCS_PATH}`);
}

/**
 * Express middleware authenticating the documentation like any endpoint (Swagger serves it outside
 * Nest's guards). Errors (401, 429) go to `next`, so the application's exception filter answers them.
 */
export function docsAuthentication(authenticator: Authenticator) {
  return (req: AuthRequest & { path?: string; url: string }, _res: unknown, next: (error?: unknown) => void): void => {
    if (!isDocsPath(req.path ?? req.url.split('?')[0])) return next();
    try {
      authenticator.authenticate(req);
      next();
    } catch (error) {
      next(error);
    }
  };
}
