import { isObject, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';

/**
 * The Pod Security Standard "restricted", and more: non-root, no privilege escalation, every capability
 * dropped, seccomp RuntimeDefault (or Localhost), a read-only root file system; no host namespaces or
 * host paths. Each rule broken is one problem naming the field to set.
 */
export function checkPodSecurity(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  for (const w of podWorkloads(documents)) {
    const pod = w.podSpec;
    const podSc = isObject(pod.securityContext) ? pod.securityContext : {};
    const add = (path: string, message: string) => problems.push({ code: 'pod-security', target, resource: w.resource, path, message });
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[host] === true) add(`${w.podSpecPath}.${host}`, `${host} must not be true (restricted)`);
    if (Array.isArray(pod.volumes)) {
      (pod.volumes as Array<Record<string, unknown>>).forEach((v, i) => {
        if (v.hostPath !== undefined) add(`${w.podSpecPath}.volumes[${i}].hostPath`, `volume "${String(v.name)}" mounts a host path: not allowed (restricted)`);
      });
    }
    const podSeccomp = isObject(podSc.seccompProfile) ? podSc.seccompProfile.type : undefined;
    const all = [...w.containers.map((c, i) => ({ c, path: `${w.podSpecPath}.containers[${i}]` })), ...w.initContainers.map((c, i) => ({ c, path: `${w.podSpecPath}.initContainers[${i}]` }))];
    for (const { c, path } of all) {
      const sc = isObject(c.securityContext) ? c.securityContext : {};
      const where = `${path}.securityContext`;
      const name = `container "${c.name}"`;
      const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (runAsNonRoot !== true) add(`${where}.runAsNonRoot`, `${name} must run as non-root: set runAsNonRoot: true (container or pod securityContext)`);
      const runAsUser = sc.runAsUser ?? podSc.runAsUser;
      if (runAsUser === 0) add(`${where}.runAsUser`, `${name} runs as user 0 (root)`);
      if (sc.allowPrivilegeEscalation !== false) add(`${where}.allowPrivilegeEscalation`, `${name} must set allowPrivilegeEscalation: false`);
      if (sc.privileged === true) add(`${where}.privileged`, `${name} must not be privileged`);
      if (sc.readOnlyRootFilesystem !== true) add(`${where}.readOnlyRootFilesystem`, `${name} must set readOnlyRootFilesystem: true (mount an emptyDir where it writes, e.g. /tmp)`);
      const caps = isObject(sc.capabilities) ? sc.capabilities : {};
      const drop = Array.isArray(caps.drop) ? (caps.drop as string[]) : [];
      if (!drop.includes('ALL')) add(`${where}.capabilities.drop`, `${name} must drop every capability: capabilities.drop: ["ALL"]`);
      const added = Array.isArray(caps.add) ? (caps.add as string[]).filter((cap) => cap !== 'NET_BIND_SERVICE') : [];
      if (added.length > 0) add(`${where}.capabilities.add`, `${name} adds ${added.join(', ')}: only NET_BIND_SERVICE is allowed (restricted)`);
      const seccomp = isObject(sc.seccompProfile) ? sc.seccompProfile.type : podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${where}.seccompProfile`, `${name} needs seccompProfile.type RuntimeDefault (container or pod securityContext)`);
    }
  }
  return problems;
}
