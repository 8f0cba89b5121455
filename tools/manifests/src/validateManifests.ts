import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { K8sDocument } from './K8sDocument';
import type { Problem } from './Problem';
import { checkEnvironmentDrift } from './environment/checkEnvironmentDrift';
import { extractEnvironment } from './environment/extractEnvironment';
import { loadEnvironmentContracts } from './environment/loadEnvironmentContracts';
import { checkDisruptionBudgets } from './policy/checkDisruptionBudgets';
import { checkImages } from './policy/checkImages';
import { checkIngestScaling } from './policy/checkIngestScaling';
import { checkNamespaces } from './policy/checkNamespaces';
import { checkNetworkPolicies } from './policy/checkNetworkPolicies';
import { checkPodSecurity } from './policy/checkPodSecurity';
import { checkProbes } from './policy/checkProbes';
import { checkResources } from './policy/checkResources';
import { checkSecretValues } from './policy/checkSecretValues';
import { kubectlMissing, kubectlPath, renderKustomization } from './render/renderKustomization';
import { parseManifests } from './render/parseManifests';
import { runYamllint } from './render/runYamllint';
import { CrdSchemaSet } from './schema/CrdSchemaSet';
import { ModelCatalog } from './schema/ModelCatalog';
import { validateSchemas } from './schema/validateSchemas';

export interface ValidationOptions {
  /** The deploy/k8s directory (base/, platform/, overlays/, examples/, .yamllint). */
  k8sDir: string;
  /** The repository root (services/ for the drift check). */
  repoRoot: string;
  /** The Strimzi CRDs kept as data. */
  crdDir: string;
  /** Kustomization directories to validate; default: every one under overlays/ and examples/. */
  targets?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface ValidationReport {
  problems: Problem[];
  /** What was rendered and validated, relative to k8sDir. */
  targets: string[];
  /** Things not checked, and why (e.g. a service that exports no environment contract yet). */
  notices: string[];
}

/** The kustomization directories under overlays/ and examples/: what the cluster operator applies. */
export function defaultTargets(k8sDir: string): string[] {
  return ['overlays', 'examples'].flatMap((group) => {
    const dir = join(k8sDir, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'kustomization.yaml')))
      .map((e) => join(dir, e.name))
      .sort();
  });
}

/** Every policy over one rendered target. */
export function checkPolicies(documents: K8sDocument[], target: string): Problem[] {
  return [
    ...checkNamespaces(documents, target),
    ...checkProbes(documents, target),
    ...checkResources(documents, target),
    ...checkPodSecurity(documents, target),
    ...checkDisruptionBudgets(documents, target),
    ...checkNetworkPolicies(documents, target),
    ...checkImages(documents, target),
    ...checkSecretValues(documents, target, 'overlay'),
    ...checkIngestScaling(documents, target),
  ];
}

/**
 * The whole validation of deploy/k8s, offline: yamllint; base/ and platform/ rendered and searched for
 * secret values; every target rendered with kubectl kustomize, each document checked against its
 * schema (strictly), the policies, and the services' configuration (drift).
 */
export async function validateManifests(options: ValidationOptions): Promise<ValidationReport> {
  const env = options.env ?? process.env;
  const k8sDir = resolve(options.k8sDir);
  const name = (dir: string) => relative(k8sDir, resolve(dir)) || '.';
  const targets = (options.targets ?? defaultTargets(k8sDir)).map((t) => resolve(t));
  const problems: Problem[] = [];
  const notices: string[] = [];

  problems.push(...runYamllint(k8sDir, resolve(k8sDir, '..', '..'), env));
  if (targets.length === 0) problems.push({ code: 'render-failed', target: name(k8sDir), message: 'no kustomization to validate (overlays/*/kustomization.yaml)' });
  if (!kubectlPath(env)) {
    problems.push(kubectlMissing(name(k8sDir), env));
    return { problems, targets: targets.map(name), notices };
  }

  let crds: CrdSchemaSet | undefined;
  try {
    crds = CrdSchemaSet.load(options.crdDir);
    if (crds.size === 0) throw new Error('no CustomResourceDefinition in it');
  } catch (e) {
    problems.push({ code: 'crds-missing', target: options.crdDir, message: `the Strimzi CRDs cannot be read (${(e as Error).message}): Kafka resources cannot be validated; point --crds at them (see ../shared/k8s-crds/README.md)` });
    crds = undefined;
  }

  for (const dir of ['base', 'platform'].map((d) => join(k8sDir, d)).filter((d) => existsSync(join(d, 'kustomization.yaml')))) {
    const rendered = renderKustomization(dir, name(dir), env);
    if (!rendered.ok) {
      problems.push(rendered.problem);
      continue;
    }
    const parsed = parseManifests(rendered.yaml, name(dir));
    problems.push(...parsed.problems, ...checkSecretValues(parsed.documents, name(dir), 'base'));
  }

  const models = new ModelCatalog();
  const rendered: Array<{ target: string; documents: K8sDocument[] }> = [];
  for (const dir of targets) {
    const target = name(dir);
    const r = renderKustomization(dir, target, env);
    if (!r.ok) {
      problems.push(r.problem);
      continue;
    }
    const parsed = parseManifests(r.yaml, target);
    problems.push(...parsed.problems);
    if (crds) problems.push(...(await validateSchemas(parsed.documents, target, models, crds)));
    problems.push(...checkPolicies(parsed.documents, target));
    rendered.push({ target, documents: parsed.documents });
  }

  const services = rendered.flatMap((r) => extractEnvironment(r.documents).map((e) => e.service)).filter((s): s is string => s !== undefined);
  const { contracts, missing } = loadEnvironmentContracts(options.repoRoot, services);
  for (const r of rendered) {
    const drift = checkEnvironmentDrift(r.documents, r.target, contracts);
    problems.push(...drift.problems);
    notices.push(...drift.notes);
  }
  for (const m of missing) notices.push(`drift check not done for ${m}`);

  return { problems, targets: targets.map(name), notices: [...new Set(notices)] };
}
