/**
 * The path of a request target, as the router matches it, without its query: origin-form
 * `/a/b?x` → `/a/b`; absolute-form `http://host/a/b?x` → `/a/b` (RFC 9112 §3.2.2: a server accepts
 * the absolute form; Fastify's router routes it by its path). What is neither is `undefined`: the
 * router has already answered it as a bad URL.
 */
export function requestPath(url: string | undefined): string | undefined {
  const target = url ?? '';
  let start = 0;
  if (target.charCodeAt(0) !== 47) {
    const scheme = /^https?:\/\//i.exec(target);
    if (!scheme) return undefined;
    const slash = target.indexOf('/', scheme[0].length);
    const query = target.indexOf('?', scheme[0].length);
    if (slash < 0 || (query >= 0 && query < slash)) return '/';
    start = slash;
  }
  const query = target.indexOf('?', start);
  return target.slice(start, query < 0 ? undefined : query);
}
