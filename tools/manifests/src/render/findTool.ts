import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The path of an executable: `override` if given (an absolute path or a name), else `name` looked up on
 * PATH. Undefined when there is none, so the caller can say so instead of passing silently.
 */
export function findTool(name: string, env: NodeJS.ProcessEnv = process.env, override?: string): string | undefined {
  const wanted = override && override.trim() !== '' ? override.trim() : name;
  const candidates = isAbsolute(wanted) ? [wanted] : (env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, wanted));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}
