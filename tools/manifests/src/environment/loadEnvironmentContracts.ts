import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contractFromConfigVariables, isConfigVariableList, type EnvironmentContract } from './EnvironmentContract';

function isContract(value: unknown): value is EnvironmentContract {
  const c = value as EnvironmentContract | undefined;
  return !!c && Array.isArray(c.variables) && Array.isArray(c.required);
}

/** Whether a value is `{ liveness, readiness }` paths (a service's `<SERVICE>_HEALTH_PATHS` export). */
function isProbePaths(value: unknown): boolean {
  const p = value as { liveness?: unknown; readiness?: unknown } | undefined;
  return !!p && typeof p.liveness === 'string' && typeof p.readiness === 'string';
}

/**
 * What each service the manifests run declares about its configuration, loaded from its built public
 * entry (through its package.json main, like any other consumer): an `environmentContract`, or the
 * `<SERVICE>_CONFIG_VARIABLES` list (libs/service-runtime's ConfigVariable[]), with the
 * `<SERVICE>_HEALTH_PATHS` it answers its probes on. A service that exports
 * neither yet, or is not built, is listed in `missing` with the reason.
 */
export function loadEnvironmentContracts(repoRoot: string, services: Iterable<string>): { contracts: Map<string, EnvironmentContract>; missing: string[] } {
  const contracts = new Map<string, EnvironmentContract>();
  const missing: string[] = [];
  for (const name of [...new Set(services)].sort()) {
    const dir = join(repoRoot, 'services', name);
    if (!existsSync(join(dir, 'package.json'))) {
      missing.push(`services/${name}: no such package (the manifests run services/${name}/dist/main.js)`);
      continue;
    }
    let entry: Record<string, unknown>;
    try {
      entry = require(dir) as Record<string, unknown>;
    } catch (e) {
      missing.push(`services/${name}: its public entry cannot be loaded (${(e as Error).message.split('\n')[0]}); run npm run build`);
      continue;
    }
    const lists = Object.keys(entry).filter((k) => /_CONFIG_VARIABLES$/.test(k) && isConfigVariableList(entry[k]));
    const probeKeys = Object.keys(entry).filter((k) => /_HEALTH_PATHS$/.test(k) && isProbePaths(entry[k]));
    const probes = probeKeys.length === 1 ? (entry[probeKeys[0]] as EnvironmentContract['probes']) : undefined;
    if (isContract(entry.environmentContract)) contracts.set(name, entry.environmentContract);
    else if (lists.length === 1) contracts.set(name, { ...contractFromConfigVariables(entry[lists[0]] as Parameters<typeof contractFromConfigVariables>[0]), ...(probes ? { probes } : {}) });
    else if (lists.length > 1) missing.push(`services/${name}: exports several *_CONFIG_VARIABLES (${lists.join(', ')}); export one`);
    else missing.push(`services/${name}: exports no *_CONFIG_VARIABLES (nor environmentContract) yet`);
  }
  return { contracts, missing };
}
