import { spawnSync } from 'node:child_process';
import type { Problem } from '../Problem';
import { findTool } from './findTool';

export type RenderResult = { ok: true; yaml: string } | { ok: false; problem: Problem };

/** How to reach kubectl: `KUBECTL` names it (path or command), else `kubectl` on PATH. */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTool('kubectl', env, env.KUBECTL);
}

/** The problem to report when kubectl cannot be found: the validation fails, it never passes silently. */
export function kubectlMissing(target: string, env: NodeJS.ProcessEnv = process.env): Problem {
  return {
    code: 'tool-missing',
    target,
    message: `kubectl not found (${env.KUBECTL ? `KUBECTL=${env.KUBECTL} is not executable` : 'not on PATH'}): the overlays cannot be rendered, so nothing was validated; install kubectl 1.27 or later (kustomize is built in) or set KUBECTL to its path`,
  };
}

/** Renders a kustomization directory with `kubectl kustomize` (offline: no cluster is contacted). */
export function renderKustomization(dir: string, target: string, env: NodeJS.ProcessEnv = process.env): RenderResult {
  const kubectl = kubectlPath(env);
  if (!kubectl) return { ok: false, problem: kubectlMissing(target, env) };
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { ok: false, problem: { code: 'render-failed', target, message: `kubectl kustomize could not run: ${r.error.message}` } };
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ');
    return { ok: false, problem: { code: 'render-failed', target, message: `kubectl kustomize ${dir} failed (exit ${r.status}): ${why}` } };
  }
  return { ok: true, yaml: r.stdout };
}
