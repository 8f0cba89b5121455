// CLI: node tools/manifests/dist/main.js [--k8s-dir <dir>] [--crds <dir>] [--repo-root <dir>] [overlay-dir…]
// Validates deploy/k8s offline; prints one line per problem and exits 1 if there is any (2 on bad usage).
import { resolve } from 'node:path';
import { formatProblem } from './formatProblem';
import { validateManifests } from './validateManifests';

const USAGE = 'usage: node tools/manifests/dist/main.js [--k8s-dir <deploy/k8s>] [--crds <dir of Strimzi CRDs>] [--repo-root <dir holding services/>] [kustomization dir…]';

async function main(argv: string[]): Promise<number> {
  let repoRoot = resolve(__dirname, '..', '..', '..');
  let k8sDir = resolve(repoRoot, 'deploy', 'k8s');
  let crdDir = process.env.MANIFESTS_CRD_DIR ?? resolve(repoRoot, '..', 'shared', 'k8s-crds', 'strimzi');
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--k8s-dir' || a === '--crds' || a === '--repo-root') {
      const value = argv[++i];
      if (!value) {
        process.stderr.write(`${a} needs a directory\n${USAGE}\n`);
        return 2;
      }
      if (a === '--k8s-dir') k8sDir = resolve(value);
      else if (a === '--crds') crdDir = resolve(value);
      else repoRoot = resolve(value);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else targets.push(resolve(a));
  }
  const report = await validateManifests({ k8sDir, repoRoot, crdDir, targets: targets.length > 0 ? targets : undefined });
  for (const p of report.problems) process.stdout.write(`${formatProblem(p)}\n`);
  for (const n of report.notices) process.stderr.write(`note: ${n}\n`);
  process.stderr.write(`manifests: ${report.targets.join(', ') || 'nothing'} validated; ${report.problems.length} problem(s)\n`);
  return report.problems.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`manifests: stopped: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
