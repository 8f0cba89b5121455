/** The paths the OpenAPI document and Swagger UI are served under (outside Nest's controllers). */
export const DOCS_PATH = 'docs';

/**
 * True for every spelling of a documentation path: `/docs`, `/docs-json`, `/docs/…` in any letter case
 * and with percent-encoded letters (`/DOCS-json`, `/%64ocs`). Matching more than the router does is
 * the safe side: such a path needs a key, then finds nothing. The application's `onRequest` hook asks
 * this of every request and authenticates those paths like any endpoint (Swagger serves them outside
 * Nest's guards).
 */
export function isDocsPath(path: string): boolean {
  let decoded = path;
  try {
    if (path.includes('%')) decoded = decodeURIComponent(path);
  } catch {
    // not decodable: compare as it is
  }
  return decoded.toLowerCase().replace(/^\/+/, '/').startsWith(`/${DOCS_PATH}`);
}

