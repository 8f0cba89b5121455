import { getMetadataStorage } from 'class-validator';
import { fileVariableOf, secretOf } from './Secret';

/** One environment variable a service reads, as a manifest check needs it. */
export interface ConfigVariable {
  name: string;
  /** The service stops without it (given itself or, for a secret with a file twin, through `file`). */
  required: boolean;
  /** Its value is never shown (messages, logs); set it from a Secret. */
  secret: boolean;
  /** For a secret: the variable naming a file that may hold it instead. */
  file?: string;
  /** For a `<NAME>_FILE` variable: the secret it holds. */
  fileFor?: string;
}

/**
 * The variables an environment class reads, derived from its class-validator rules (a property with
 * `@IsOptional` is optional, any other is required) and its `@Secret` marks: the one source for the
 * service's validation and for the checks of its deployment manifests. Declaration order, each
 * secret's `_FILE` twin right after it.
 */
export function configVariablesOf(environment: Function): ConfigVariable[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(environment, '', true, false);
  const names = [...new Set(metadata.map((m) => m.propertyName))];
  return names.flatMap((name) => {
    const required = !metadata.some((m) => m.propertyName === name && m.type === 'conditionalValidation');
    const secret = secretOf(environment, name);
    const variable: ConfigVariable = { name, required, secret: secret !== undefined };
    if (!secret?.file) return [variable];
    return [
      { ...variable, file: fileVariableOf(name) },
      { name: fileVariableOf(name), required: false, secret: false, fileFor: name },
    ];
  });
}
