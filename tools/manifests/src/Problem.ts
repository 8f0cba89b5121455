/** What kind of problem the validation found; each names the rule a person has to satisfy. */
export type ProblemCode =
  | 'tool-missing'
  | 'render-failed'
  | 'not-yaml'
  | 'lint'
  | 'crds-missing'
  | 'unknown-kind'
  | 'schema'
  | 'unknown-field'
  | 'probe-missing'
  | 'resources-missing'
  | 'pod-security'
  | 'pdb-missing'
  | 'network-policy'
  | 'image-not-pinned'
  | 'secret-value-in-base'
  | 'scaling-above-partitions'
  | 'namespace-missing'
  | 'env-drift';

/**
 * One problem, in words a person can act on: where (the rendered target, the resource, the field path)
 * and what to do about it.
 */
export interface Problem {
  code: ProblemCode;
  /** The rendered target (e.g. `overlays/dev`), or the file or tool concerned. */
  target: string;
  /** `Kind namespace/name` of the resource, when the problem is about one. */
  resource?: string;
  /** Field path inside the resource, e.g. `spec.template.spec.containers[0].image`. */
  path?: string;
  message: string;
}
