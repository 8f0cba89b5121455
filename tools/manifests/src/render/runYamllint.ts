import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import type { Problem } from '../Problem';
import { findTool } from './findTool';

/**
 * yamllint over a directory with the `.yamllint` configuration kept in it; one problem per finding
 * (warnings included: the configuration decides what is reported). yamllint missing is a problem too.
 */
export function runYamllint(dir: string, displayRoot: string, env: NodeJS.ProcessEnv = process.env): Problem[] {
  const yamllint = findTool('yamllint', env, env.YAMLLINT);
  const target = relative(displayRoot, dir) || dir;
  if (!yamllint) {
    return [{ code: 'tool-missing', target, message: 'yamllint not found on PATH (or YAMLLINT): the YAML style was not checked; install it (Debian: apt-get install -y yamllint)' }];
  }
  const r = spawnSync(yamllint, ['-f', 'parsable', '-c', join(dir, '.yamllint'), dir], { encoding: 'utf8', env });
  if (r.error) return [{ code: 'tool-missing', target, message: `yamllint could not run: ${r.error.message}` }];
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.trim() !== '');
  const problems = lines.map((line): Problem => {
    // path:line:column: [level] message (rule)
    const m = /^(.*?):(\d+):(\d+): \[(\w+)\] (.*)$/.exec(line);
    if (!m) return { code: 'lint', target, message: line };
    return { code: 'lint', target: `${relative(displayRoot, m[1])}:${m[2]}:${m[3]}`, message: `${m[4]}: ${m[5]}` };
  });
  if (r.status !== 0 && problems.length === 0) problems.push({ code: 'lint', target, message: `yamllint exited ${r.status}: ${(r.stderr ?? '').trim()}` });
  return problems;
}
