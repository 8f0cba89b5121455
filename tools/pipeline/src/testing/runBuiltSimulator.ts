import { spawn } from 'node:child_process';
import { builtEntry } from '../KafkaPipelineHarness';

/**
 * The simulator CLI from its build output, as `npm run --silent sim -- …` runs it. Resolves with what it
 * wrote on stderr (its progress and summary) when it exits 0; rejects with the end of stderr otherwise.
 */
export async function runBuiltSimulator(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [builtEntry('libs/cp800-model/dist/sim/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sim exited with ${code}: ${err.slice(-3000)}`);
  return err;
}
