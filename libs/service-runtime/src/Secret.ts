import 'reflect-metadata';

const SECRET = Symbol('config:secret');

/** How a secret setting may be given. */
export interface SecretOptions {
  /** Also readable from the file named by `<NAME>_FILE` (a mounted Kubernetes Secret, for example). */
  file?: boolean;
}

/**
 * Marks an environment variable as a secret: no message, log line or error ever shows its value, and
 * with `{ file: true }` it may be given as `<NAME>_FILE`, the path of a file holding it.
 */
export function Secret(options: SecretOptions = {}): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(SECRET, { file: options.file ?? false }, target, property);
}

/** The secret options of a property of an environment class; undefined when it is not a secret. */
export function secretOf(environment: Function, property: string): Required<SecretOptions> | undefined {
  return Reflect.getMetadata(SECRET, environment.prototype, property) as Required<SecretOptions> | undefined;
}

/** The variable that names the file holding `name`. */
export function fileVariableOf(name: string): string {
  return `${name}_FILE`;
}
