import type { K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from '../policy/podWorkloads';
import { RUNTIME_VARIABLES, type EnvironmentContract } from './EnvironmentContract';
import { extractEnvironment } from './extractEnvironment';
import { PENDING_VARIABLES } from './pendingVariables';
import { PORT_VARIABLES } from './portVariables';

export interface DriftReport {
  problems: Problem[];
  /** Containers of services without a contract: not compared. */
  uncompared: string[];
  /** Variables set ahead of the service (pendingVariables.ts), and pending entries the service now reads. */
  notes: string[];
}

/**
 * Drift between the manifests and the services' configuration: every variable a manifest sets is one
 * the service reads; every variable it requires is set; a secret never has a literal value; the port
 * settings are set, to the numbers of the container ports the pod declares and probes; probe paths are
 * the service's (when it declares them).
 */
export function checkEnvironmentDrift(
  documents: K8sDocument[],
  target: string,
  contracts: ReadonlyMap<string, EnvironmentContract>,
  pending: Readonly<Record<string, Readonly<Record<string, string>>>> = PENDING_VARIABLES,
): DriftReport {
  const report: DriftReport = { problems: [], uncompared: [], notes: [] };
  const workloads = podWorkloads(documents);
  for (const env of extractEnvironment(documents)) {
    if (!env.service) continue;
    const contract = contracts.get(env.service);
    if (!contract) {
      report.uncompared.push(`${env.resource} (${env.service})`);
      continue;
    }
    const add = (message: string) => report.problems.push({ code: 'env-drift', target, resource: env.resource, message: `container "${env.container}" (services/${env.service}): ${message}` });
    const reads = (name: string) => contract.variables.includes(name) || RUNTIME_VARIABLES.has(name);
    const byName = new Map(env.variables.map((v) => [v.name, v.source]));
    const waiting = pending[env.service] ?? {};

    for (const v of env.variables) {
      if (reads(v.name)) {
        if (waiting[v.name]) report.notes.push(`services/${env.service} now reads ${v.name}: remove it from tools/manifests/src/environment/pendingVariables.ts`);
      } else if (waiting[v.name]) {
        report.notes.push(`services/${env.service} does not read ${v.name} yet; the manifests set it ahead of the service (${waiting[v.name]})`);
      } else {
        add(`sets ${v.name}, which the service's configuration does not read: remove it, or add it to the service's configuration`);
      }
    }
    for (const r of contract.required) {
      const twin = contract.fileTwins?.[r];
      if (!byName.has(r) && !(twin && byName.has(twin))) add(`does not set ${r}${twin ? ` (nor ${twin})` : ''}, which the service requires`);
    }
    for (const s of contract.secrets ?? []) {
      if (byName.get(s)?.kind === 'value') add(`${s} is a secret and has a literal value here: take it from a Secret (valueFrom.secretKeyRef)${contract.fileTwins?.[s] ? ` or mount it and set ${contract.fileTwins[s]}` : ''}`);
    }
    for (const f of env.envFrom) add(`takes variables from ${f} (envFrom): their names are not in the manifests; list each under env`);

    const workload = workloads.find((w) => w.resource === env.resource);
    const container = workload?.containers.find((c) => c.name === env.container);
    for (const [portName, variable] of Object.entries(PORT_VARIABLES[env.service] ?? {})) {
      if (!contract.variables.includes(variable)) continue;
      const declared = container?.ports?.find((p) => p.name === portName);
      const source = byName.get(variable);
      if (!declared) add(`declares no container port "${portName}" (the port ${variable} opens)`);
      else if (!source) add(`does not set ${variable}: set it to ${declared.containerPort}, the container port "${portName}", so the process listens where the pod says`);
      else if (source.kind !== 'value' || Number(source.value) !== declared.containerPort) add(`${variable} is ${source.kind === 'value' ? source.value : `from a ${source.kind}`}, but the container port "${portName}" is ${declared.containerPort}`);
    }
    if (contract.probes) {
      for (const [probe, path] of [['livenessProbe', contract.probes.liveness], ['readinessProbe', contract.probes.readiness]] as const) {
        const actual = (container?.[probe] as { httpGet?: { path?: string } } | undefined)?.httpGet?.path;
        if (actual !== undefined && actual !== path) add(`${probe} asks ${actual}, the service answers ${path}`);
      }
    }
  }
  return report;
}
