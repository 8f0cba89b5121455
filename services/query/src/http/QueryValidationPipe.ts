import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

/**
 * Nest's validation pipe, every parameter validated (class-validator; unknown ones refused), with one
 * shortcut: a request without query parameters (the usual lookup) is validated once per parameter
 * class. Validating an empty object against a class gives the same answer every time, so once `{}`
 * has passed for a class, the next empty query of that class is only transformed; a class whose
 * empty query is refused (a required parameter) is validated every time, as any non-empty query is.
 */
export class QueryValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (metadata.type !== 'query' || !metatype || !isEmptyObject(value)) return super.transform(value, metadata);
    if (this.emptyQueryPasses.has(metatype)) return plainToInstance(metatype, {}, this.transformOptions);
    const entity: unknown = await super.transform(value, metadata);
    this.emptyQueryPasses.add(metatype);
    return entity;
  }
}
