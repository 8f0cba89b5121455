import { ChaosRig } from './ChaosRig';
import { formatResultTable } from './formatResultTable';
import { parseChaosArguments } from './parseChaosArguments';
import { rowPasses, type ScenarioResult } from './ScenarioResult';
import { NOT_BUILT, SCENARIOS } from './scenarios';

// npm run --silent chaos -- --scenario <name>|all [--minutes M] [--seed S]
// Exit 0: every row passes; 1: a row fails or the run broke; 2: bad arguments.
async function main(): Promise<number> {
  const parsed = parseChaosArguments(process.argv.slice(2), [...SCENARIOS.map((s) => s.name), ...Object.keys(NOT_BUILT)]);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.reason}\n`);
    return 2;
  }
  const { scenario, minutes, seed } = parsed.args;
  if (NOT_BUILT[scenario]) {
    process.stderr.write(`chaos: ${NOT_BUILT[scenario]}\n`);
    return 2;
  }
  const chosen = scenario === 'all' ? SCENARIOS : SCENARIOS.filter((s) => s.name === scenario);
  const rig = new ChaosRig((line) => process.stderr.write(`${line}\n`));
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`chaos: ${signal}: stopping everything started here\n`);
    void rig.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: ScenarioResult[] = [];
  try {
    await rig.start();
    for (const [i, s] of chosen.entries()) {
      const started = Date.now();
      const r = await rig.run(s, seed * 100 + i + 1, minutes === undefined ? undefined : minutes * 60_000);
      results.push(r);
      process.stderr.write(`chaos: ${s.name} ${rowPasses(r) ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s: lost ${r.lost}, duplicated ${r.duplicated}, gaps ${r.gapsReported}/${r.gapsInjected}${r.failures.length > 0 ? `; ${r.failures.join('; ')}` : ''}\n`);
    }
  } catch (e) {
    process.stderr.write(`chaos: the run broke: ${(e as Error).stack ?? e}\n`);
    if (results.length > 0) process.stdout.write(`${formatResultTable(results)}\n`);
    return 1;
  } finally {
    await rig.stop();
  }
  if (scenario === 'all') for (const reason of Object.values(NOT_BUILT)) process.stderr.write(`chaos: not run: ${reason}\n`);
  process.stdout.write(`${formatResultTable(results)}\n`);
  return results.every(rowPasses) ? 0 : 1;
}

void main().then((code) => process.exit(code));
