import { Transform } from 'class-transformer';

/**
 * A query parameter written as plain decimal digits (`25`) becomes that number; anything else
 * (`0x10`, `1e2`, `+5`, ` 5`, `5.0`) is left as the text it was, so `@IsInt()` refuses it with the
 * parameter's name. `Number()` alone would read all of those as numbers.
 */
export function DecimalText(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value));
}
