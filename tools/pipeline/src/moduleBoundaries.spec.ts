import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

// The dependency direction is enforced by Nx's module-boundary rule (eslint.config.js, `npm run
// lint`). These cases prove the rule is on and bites: ESLint is given an import in a file of each
// kind of package and must report exactly the forbidden ones.
const repo = resolve(__dirname, '..', '..', '..');
// The repository's own configuration, passed in (jest cannot run ESLint's dynamic config import).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eslint = new ESLint({ cwd: repo, overrideConfigFile: true, overrideConfig: require(join(repo, 'eslint.config.js')) });

async function violations(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repo, file) });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

beforeAll(() => {
  // The rule reads Nx's project graph; without one it would skip silently, so make it first.
  execFileSync('npx', ['nx', 'show', 'projects'], { cwd: repo, stdio: 'ignore' });
});

describe('module boundaries', () => {
  it('forbids a lib to import a service', async () => {
    expect(await violations('libs/metrology-log/src/probe.ts', "import { Ledger } from '@metrology-ledger/ledger';\nexport const x = Ledger;\n")).toEqual([expect.stringMatching(/type:lib/)]);
  });

  it("forbids a service's shipped code to import the simulator, and allows its tests to", async () => {
    const source = "import { FleetSimulator } from '@metrology-ledger/cp800-model';\nexport const x = FleetSimulator;\n";
    expect(await violations('services/ingest/src/application/probe.ts', source)).toEqual([expect.stringMatching(/scope:simulation/)]);
    expect(await violations('services/ingest/src/application/probe.spec.ts', source)).toEqual([]);
  });

  it('forbids a service to reach into another package by a relative path', async () => {
    expect(await violations('services/query/src/probe.ts', "import { Ledger } from '../../ledger/src/Ledger';\nexport const x = Ledger;\n")).not.toEqual([]);
  });

  it('forbids a service to import a tool', async () => {
    expect(await violations('services/query/src/probe.ts', "import { reconcileWithManifest } from '@metrology-ledger/pipeline';\nexport const x = reconcileWithManifest;\n")).not.toEqual([]);
  });

  it('allows a service to use a lib and another service through its public entry', async () => {
    expect(await violations('services/query/src/probe.ts', "import { Ledger } from '@metrology-ledger/ledger';\nimport { parseOcmf } from '@metrology-ledger/ocmf';\nexport const x = [Ledger, parseOcmf];\n")).toEqual([]);
  });
});
