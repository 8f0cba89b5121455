import { statSync } from 'node:fs';
import { quoteBounded } from '@metrology-ledger/ocmf';

/** What `--out` names: standard output, a regular file (or none yet, which will be one), or something else. */
export type OutputKind = 'stdout' | 'regular' | 'new' | 'directory' | 'device' | 'pipe' | 'socket' | 'unknown';

/** Reads what `--out` names, following symbolic links; never writes. */
export function outputKind(out: string): OutputKind {
  if (out === '-') return 'stdout';
  try {
    const st = statSync(out, { throwIfNoEntry: false });
    if (st === undefined) return 'new';
    if (st.isFile()) return 'regular';
    if (st.isDirectory()) return 'directory';
    if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
    if (st.isFIFO()) return 'pipe';
    if (st.isSocket()) return 'socket';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface ManifestDestination {
  /** Where the manifest is written; undefined when none is. */
  path?: string;
  /** When none is written: why, and how to get one (for stderr). */
  note?: string;
}

/**
 * Where the ground-truth manifest goes. `--manifest <file>` always wins. Otherwise it is derived as
 * `<out>.manifest.json` only when `--out` is a regular file path the user chose (existing or not):
 * beside `-`, a device such as /dev/null, a pipe or a socket there is no sensible place for it (the
 * old rule wrote 20 MB to /dev/null.manifest.json), so none is written and the note says so.
 */
export function manifestDestination(out: string, manifest: string | undefined, kind: OutputKind): ManifestDestination {
  if (manifest !== undefined) return { path: manifest };
  if (kind === 'regular' || kind === 'new') return { path: `${out}.manifest.json` };
  const what = kind === 'stdout' ? 'standard output' : `${quoteBounded(out, 200)}, ${KIND_NAMES[kind]}`;
  return {
    note: `no manifest written: --out is ${what}, not a regular file, so no <out>.manifest.json is derived from it; pass --manifest <file> to keep the ground truth`,
  };
}

const KIND_NAMES: Record<OutputKind, string> = {
  stdout: 'standard output',
  regular: 'a regular file',
  new: 'a new file',
  directory: 'a directory',
  device: 'a device',
  pipe: 'a pipe',
  socket: 'a socket',
  unknown: 'nothing that can be examined',
};
