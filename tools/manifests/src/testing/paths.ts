import { resolve } from 'node:path';

/** Paths the tests use: the repository, its deploy/k8s, the Strimzi CRDs kept beside it, the built CLI. */
export const repoRoot = resolve(__dirname, '..', '..', '..', '..');
export const k8sDir = resolve(repoRoot, 'deploy', 'k8s');
export const crdDir = resolve(repoRoot, '..', 'shared', 'k8s-crds', 'strimzi');
export const cliPath = resolve(repoRoot, 'tools', 'manifests', 'dist', 'main.js');
