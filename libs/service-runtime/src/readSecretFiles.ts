import { configVariablesOf } from './configVariablesOf';

/** Reads a file named by a `<NAME>_FILE` variable; tests pass their own. */
export type ReadText = (path: string) => string;

/**
 * Resolves the `<NAME>_FILE` variables of an environment class: the file's content (without its
 * trailing line break) becomes the value of `<NAME>`. Setting both, an unreadable file or an empty
 * one is a problem naming the variable and the path, never the content.
 */
export function readSecretFiles(
  given: Readonly<Record<string, string>>,
  environment: Function,
  readText: ReadText,
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = { ...given };
  const problems: string[] = [];
  for (const v of configVariablesOf(environment)) {
    if (!v.fileFor) continue;
    const path = given[v.name];
    if (path === undefined) continue;
    delete values[v.name];
    if (given[v.fileFor] !== undefined) {
      problems.push(`${v.fileFor} and ${v.name} are both set: set one of them`);
      continue;
    }
    let text: string;
    try {
      text = readText(path);
    } catch (e) {
      problems.push(`${v.name}: cannot read ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    const value = text.replace(/\r?\n$/, '');
    if (value.trim() === '') problems.push(`${v.name}: ${JSON.stringify(path)} is empty; it must hold ${v.fileFor}`);
    else values[v.fileFor] = value;
  }
  return { values, problems };
}
