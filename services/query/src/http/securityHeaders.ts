/** The policy of every answer that is not a page: nothing may load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** Swagger UI (`/docs`): its own scripts and styles, images from data URIs, calls to this origin. */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The headers every answer carries, set at once on the Node response. */
const COMMON: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cache-Control', 'no-store'],
];

/**
 * Security headers on every answer (small own code; no helmet installed): no MIME sniffing, no
 * framing, no referrer, same-origin isolation, no caching of answers (they hold billing data), and a
 * content security policy (Swagger UI's for a documentation path). Called from the application's `onRequest` hook; set on the Node response,
 * so answers streamed past Fastify's reply carry them too. Pages that need another policy set their
 * own after this (the driver's page `/verify`, the HTML audit report), and that one wins. Fastify
 * sends no `X-Powered-By`.
 */
export function securityHeaders() {
  return (docs: boolean, res: { setHeader(name: string, value: string): unknown }): void => {
    for (const [name, value] of COMMON) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', docs ? DOCS_CSP : API_CSP);
  };
}
