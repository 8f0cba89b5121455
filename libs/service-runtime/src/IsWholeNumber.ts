import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A whole number in decimal text, from `min` to `max`; the message quotes what was given. */
export function IsWholeNumber(min: number, max: number, options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWholeNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d{1,16}$/.test(value) && Number(value) >= min && Number(value) <= max,
        defaultMessage: (a) => `${a?.property} must be a whole number from ${min} to ${max}; got ${JSON.stringify(a?.value)}`,
      },
    },
    options,
  );
}
