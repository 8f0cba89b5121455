import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { jsonNestingDepth } from '@metrology-ledger/service-runtime';

const NESTED_TOO_DEEPLY = 'QUERY_BODY_NESTED_TOO_DEEPLY';
const NOT_JSON = 'QUERY_BODY_NOT_JSON';

/** Thrown by the JSON body parser for a body nested deeper than the limit. */
class NestedTooDeeply extends Error {
  readonly code = NESTED_TOO_DEEPLY;
}

/** Thrown by the JSON body parser for a body that is not a JSON object or array. */
class NotJson extends Error {
  readonly code = NOT_JSON;
}

/**
 * The JSON body parser (Fastify content-type parser over the body's bytes, which Fastify has already
 * held to the size limit): an empty body is `{}`; a body nested deeper than `maxDepth` is refused
 * before it is parsed, so nothing recursive (class-transformer, class-validator) ever sees it (one
 * pass over the bytes, no recursion); only an object or an array is taken (as JSON body parsers do
 * in strict mode), and `JSON.parse` keeps `__proto__` as a plain property.
 */
export function jsonBodyParser(maxDepth: number) {
  return (req: { headers: Record<string, string | string[] | undefined> }, body: Buffer, done: (error: Error | null, body?: unknown) => void): void => {
    // Only UTF-8 JSON as sent: another charset, or a compressed body, is 415 (what the body is cannot be read as it comes).
    const encoding = req.headers['content-encoding'];
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1].toLowerCase();
    if ((encoding !== undefined && String(encoding).toLowerCase() !== 'identity') || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
      return done(new UnsupportedMediaTypeException());
    }
    const text = body.toString('utf8');
    const first = /\S/.exec(text)?.[0];
    if (first === undefined) return done(null, {});
    if (first !== '{' && first !== '[') return done(new NotJson('not a JSON object'));
    if (jsonNestingDepth(text, maxDepth) > maxDepth) return done(new NestedTooDeeply('nested too deeply'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new NotJson('not a JSON object'));
    }
    done(null, parsed);
  };
}

/**
 * The body parser's errors as answers that say what to change, before anything else sees them;
 * undefined for any other error. Fastify's own (`FST_ERR_CTP_…`) reach the filter as Nest makes them,
 * an HttpException with Fastify's status and text: a too-large body (413, not an error of the
 * service: no stack trace logged) and a body of another media type (415) get our message. A JSON
 * syntax error is never answered with the parser's text quoting the body.
 */
export function bodyParserError(error: unknown, limitText: string, maxDepth: number): HttpException | undefined {
  if (error instanceof HttpException) {
    if (error.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE) return new PayloadTooLargeException({ statusCode: 413, error: 'Payload Too Large', message: `the request body is larger than ${limitText}` });
    if (error.getStatus() === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: 'send the body as UTF-8 JSON (Content-Type: application/json)' });
    return undefined;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === NESTED_TOO_DEEPLY) return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `the request body nests objects or arrays deeper than ${maxDepth} levels` });
  if (code === NOT_JSON) return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'the request body is not a JSON object' });
  return undefined;
}
