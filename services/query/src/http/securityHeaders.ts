import { isDocsPath } from '../auth/docsAuthentication';

/** The policy of every answer that is not a page: nothing may load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** Swagger UI (`/docs`): its own scripts and styles, images from data URIs, calls to this origin. */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * Security headers on every answer (small own code; no helmet installed): no MIME sniffing, no
 * framing, no referrer, same-origin isolation, no caching of answers (they hold billing data), and a
 * content security policy. Pages that need another
 * policy set their own after this (the driver's page `/verify`, the HTML audit report), and that one
 * wins. `X-Powered-By` is switched off on the Express instance, not here.
 */
export function securityHeaders() {
  return (req: { path?: string; url: string }, res: { setHeader(name: string, value: string): unknown }, next: () => void): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', isDocsPath(req.path ?? req.url.split('?')[0]) ? DOCS_CSP : API_CSP);
    next();
  };
}
