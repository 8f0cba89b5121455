import { isObject, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';
import { selectorMatches } from './selectorMatches';

/** A NetworkPolicy that selects every pod and allows nothing, in both directions. */
export function isDefaultDeny(doc: K8sDocument): boolean {
  if (doc.kind !== 'NetworkPolicy' || !isObject(doc.spec)) return false;
  const spec = doc.spec as { podSelector?: unknown; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
  const selectsAll = isObject(spec.podSelector) && Object.keys(spec.podSelector).every((k) => {
    const v = (spec.podSelector as Record<string, unknown>)[k];
    return Array.isArray(v) ? v.length === 0 : isObject(v) ? Object.keys(v).length === 0 : v === undefined;
  });
  const types = spec.policyTypes ?? [];
  return selectsAll && types.includes('Ingress') && types.includes('Egress') && (spec.ingress ?? []).length === 0 && (spec.egress ?? []).length === 0;
}

/**
 * Every namespace our resources live in has a default-deny NetworkPolicy (ingress and egress), and
 * every workload is selected by a policy of its own that allows the flows it needs (a policy selecting
 * all pods, such as DNS, does not count).
 */
export function checkNetworkPolicies(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  const policies = documents.filter((d) => d.kind === 'NetworkPolicy');
  const namespaces = new Set(documents.map((d) => d.metadata.namespace).filter((n): n is string => typeof n === 'string'));
  for (const ns of [...namespaces].sort()) {
    if (!policies.some((p) => p.metadata.namespace === ns && isDefaultDeny(p))) {
      problems.push({
        code: 'network-policy',
        target,
        resource: `Namespace ${ns}`,
        message: 'no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules): every flow would be allowed',
      });
    }
  }
  for (const w of podWorkloads(documents)) {
    const own = policies.filter((p) => {
      if (p.metadata.namespace !== w.namespace || isDefaultDeny(p)) return false;
      const selector = (p.spec as { podSelector?: Record<string, unknown> } | undefined)?.podSelector;
      const selectsAll = !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && ((selector.matchExpressions as unknown[] | undefined) ?? []).length === 0);
      return !selectsAll && selectorMatches(selector, w.podLabels);
    });
    if (own.length === 0) {
      problems.push({ code: 'network-policy', target, resource: w.resource, message: `no NetworkPolicy selects its pods (${JSON.stringify(w.podLabels)}): under default deny they can reach nothing and nothing reaches them; add one with the flows they need` });
    }
  }
  return problems;
}
