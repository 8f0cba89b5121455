/**
 * What a service's configuration reads, as the service itself declares it: the drift check compares the
 * manifests with it. Built from the `<SERVICE>_CONFIG_VARIABLES` list a service exports from its public
 * entry (libs/service-runtime's ConfigVariable[]), or given whole as `environmentContract`.
 */
export interface EnvironmentContract {
  /** Every variable the configuration reads. */
  variables: readonly string[];
  /** The variables it cannot start without (a secret's `<NAME>_FILE` twin satisfies it too). */
  required: readonly string[];
  /** Secrets: never a literal value in a manifest, always from a Secret (or their file twin). */
  secrets?: readonly string[];
  /** For a secret readable from a file: the variable naming that file, by secret. */
  fileTwins?: Readonly<Record<string, string>>;
  /** Health endpoint paths (liveness, readiness), if the service declares them. */
  probes?: { liveness: string; readiness: string };
}

/** One variable as libs/service-runtime's configVariablesOf describes it. */
export interface ConfigVariableLike {
  name: string;
  required: boolean;
  secret?: boolean;
  file?: string;
  fileFor?: string;
}

/** Whether a value is a ConfigVariable[] (as a service's `*_CONFIG_VARIABLES` export holds). */
export function isConfigVariableList(value: unknown): value is ConfigVariableLike[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && typeof (v as ConfigVariableLike).name === 'string' && typeof (v as ConfigVariableLike).required === 'boolean');
}

/** The contract a ConfigVariable[] describes. */
export function contractFromConfigVariables(list: readonly ConfigVariableLike[]): EnvironmentContract {
  return {
    variables: list.map((v) => v.name),
    required: list.filter((v) => v.required && !v.fileFor).map((v) => v.name),
    secrets: list.filter((v) => v.secret).map((v) => v.name),
    fileTwins: Object.fromEntries(list.filter((v) => v.file).map((v) => [v.name, v.file as string])),
  };
}

/** Read by Node.js itself, not by a service's configuration; always allowed. */
export const RUNTIME_VARIABLES: ReadonlySet<string> = new Set(['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'TZ', 'NODE_ENV']);
