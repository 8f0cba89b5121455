import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { jsonNestingDepth } from '@metrology-ledger/service-runtime';

/**
 * The body parser's `verify` hook: a body nested deeper than `maxDepth` is refused before it is
 * parsed, so nothing recursive (class-transformer, class-validator) ever sees it. One pass over the
 * bytes, no recursion.
 */
export function refuseDeepNesting(maxDepth: number) {
  return (_req: unknown, _res: unknown, body: Buffer): void => {
    if (jsonNestingDepth(body.toString('utf8'), maxDepth) > maxDepth) throw new Error('nested too deeply');
  };
}

/**
 * Express error middleware placed right after the JSON body parser: turns its errors (http-errors with
 * a `type`) into answers that say what to change, before anything else sees them. Nest would otherwise
 * log a too-large body as an ERROR with a stack trace, or answer a JSON syntax error with the parser's
 * text quoting the body.
 */
export function bodyParserErrors(limitText: string, maxDepth: number) {
  return (error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void): void => {
    const type = (error as { type?: unknown } | undefined)?.type;
    switch (type) {
      case 'entity.too.large':
        return next(new PayloadTooLargeException({ statusCode: 413, error: 'Payload Too Large', message: `the request body is larger than ${limitText}` }));
      case 'entity.verify.failed':
        return next(new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `the request body nests objects or arrays deeper than ${maxDepth} levels` }));
      case 'entity.parse.failed':
        return next(new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'the request body is not a JSON object' }));
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return next(new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: 'send the body as UTF-8 JSON (Content-Type: application/json)' }));
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
      case 'stream.not.readable':
        return next(new HttpException({ statusCode: 400, error: 'Bad Request', message: 'the request body could not be read completely' }, HttpStatus.BAD_REQUEST));
      default:
        return next(error);
    }
  };
}
