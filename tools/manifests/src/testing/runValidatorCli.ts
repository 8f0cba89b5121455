import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cliPath } from './paths';

export interface CliRun {
  status: number | null;
  /** stdout, one problem per line. */
  problems: string[];
  stderr: string;
}

/**
 * Runs the built validator (dist/main.js, as CI does; jest's global setup builds it). The
 * kubernetes-models packages are ES modules with import-only exports, which jest's CommonJS runtime
 * cannot load, so everything that touches them is tested through the CLI.
 */
export function runValidatorCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build (jest's global setup does) before these tests`);
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, problems: r.stdout.split('\n').filter((l) => l.trim() !== ''), stderr: r.stderr };
}
