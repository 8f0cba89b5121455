// Where the time of a process went, from the V8 CPU profiles `node --cpu-prof` writes: self time by
// part of the code (the package or runtime area a function belongs to) and the heaviest functions.
// Used by the ingest benchmark to print its profile beside its figures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** µs on the monotonic clock (process.hrtime's). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Only samples between these monotonic times (µs, process.hrtime.bigint() / 1000n) count; all when omitted. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Self time (µs) per part and per function over every profile in a directory; idle time left out. */
export interface ProfileSummary {
  /** Busy µs in all profiles. */
  busyUs: number;
  parts: [string, number][];
  functions: [string, number][];
}

/** The part of the code a frame belongs to: the package for dependencies, the workspace package, or the runtime area. */
export function partOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/native (program)';
    if (functionName === '(idle)') return 'idle';
    if (functionName === 'verify' || functionName === 'verifyOneShot') return 'crypto.verify (OpenSSL)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  const ws = /\/(libs|services|tools)\/([^/]+)\//.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  if (url.startsWith('node:internal/crypto/sig')) return 'crypto.verify (OpenSSL)';
  if (url.startsWith('node:internal/crypto/hash')) return 'crypto hashes (SHA-256)';
  if (url.startsWith('node:')) return `node: ${url.slice(5).replace(/^internal\//, '').split('/')[0]}`;
  return url;
}

export function summariseProfiles(dir: string, window?: ProfileWindow): ProfileSummary {
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<number, number>();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) return;
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    for (const [id, us] of self) {
      const frame = byId.get(id)!.callFrame;
      // A native function (no script) belongs to the part of the code that called it: OpenSSL's verify
      // under node:internal/crypto/sig, a socket write under pg or kafkajs.
      let caller = id;
      while (byId.get(caller)!.callFrame.url === '' && parent.has(caller) && !/^\((garbage collector|program|idle|root)\)$/.test(byId.get(caller)!.callFrame.functionName)) caller = parent.get(caller)!;
      const part = caller !== id && byId.get(caller)!.callFrame.url !== '' ? partOf(byId.get(caller)!.callFrame) : partOf(frame);
      if (part === 'idle') continue;
      busyUs += us;
      parts.set(part, (parts.get(part) ?? 0) + us);
      const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|libs|services|tools)\//, '$1/')}:${frame.lineNumber + 1}` : 'native';
      const name = `${frame.functionName || '(anonymous)'} ${where}`;
      functions.set(name, (functions.get(name) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { busyUs, parts: sorted(parts), functions: sorted(functions) };
}

/** The summary as text: per part and the top functions, in µs per item (`items`: datasets recorded) and share of busy time. */
export function formatProfileSummary(s: ProfileSummary, items: number, top = 12): string {
  const line = ([name, us]: [string, number]) => `    ${(us / items).toFixed(0).padStart(6)} µs ${((100 * us) / s.busyUs).toFixed(1).padStart(5)} %  ${name}\n`;
  return (
    `  profile (main threads; µs are sampled wall time per dataset, more than CPU time on a loaded machine: read the shares): ${(s.busyUs / items).toFixed(0)} µs\n` +
    `  by part:\n${s.parts.slice(0, top).map(line).join('')}` +
    `  heaviest functions (self time):\n${s.functions.slice(0, top).map(line).join('')}`
  );
}
