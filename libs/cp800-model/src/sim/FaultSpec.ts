/**
 * What the simulator injects, as rates. Per delivered dataset: drop (never delivered: a gap),
 * duplicate (delivered twice), reorder (swapped with the station's next dataset), delay (delivered
 * hours late), tamper (energy changed in transit: rejected, and its counter stays a gap), wrongKey (an
 * extra forged dataset signed by an unregistered key: rejected), conflict (a second, validly signed
 * dataset for the same counter with other bytes). Per station and day: clockUnsync (NTP outage over
 * 12 h), firmware (LRS update), stationFault (a catalogue fault). Per station and six hours: clockJump
 * (the RTC set minutes to a day and a half forward or back, until the next NTP sync puts it right).
 * Per station over the run:
 * keyReplace (meter and signing key replaced).
 */
export interface FaultSpec {
  drop: number;
  duplicate: number;
  reorder: number;
  delay: number;
  tamper: number;
  wrongKey: number;
  conflict: number;
  clockUnsync: number;
  firmware: number;
  stationFault: number;
  keyReplace: number;
  clockJump: number;
}

export const NO_FAULTS: FaultSpec = {
  drop: 0,
  duplicate: 0,
  reorder: 0,
  delay: 0,
  tamper: 0,
  wrongKey: 0,
  conflict: 0,
  clockUnsync: 0,
  firmware: 0,
  stationFault: 0,
  keyReplace: 0,
  clockJump: 0,
};

export const DEFAULT_FAULTS: FaultSpec = {
  drop: 0.002,
  duplicate: 0.003,
  reorder: 0.003,
  delay: 0.002,
  tamper: 0.001,
  wrongKey: 0.001,
  conflict: 0.001,
  clockUnsync: 0.01,
  firmware: 0.003,
  stationFault: 0.01,
  keyReplace: 0.02,
  clockJump: 0,
};

export type FaultSpecParse = { ok: true; spec: FaultSpec } | { ok: false; reason: string };

/** `none`, `default`, or `key=rate,…` over the defaults of none (e.g. `drop=0.01,tamper=0.001`). */
export function parseFaultSpec(text: string): FaultSpecParse {
  const t = text.trim();
  if (t === '' || t === 'none') return { ok: true, spec: { ...NO_FAULTS } };
  if (t === 'default') return { ok: true, spec: { ...DEFAULT_FAULTS } };
  const spec: FaultSpec = { ...NO_FAULTS };
  for (const part of t.split(',')) {
    const [key, value] = part.split('=').map((x) => x.trim());
    if (!(key in spec)) return { ok: false, reason: `unknown fault "${key}"; known: ${Object.keys(NO_FAULTS).join(', ')}` };
    const rate = Number(value);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) return { ok: false, reason: `rate of "${key}" must be a number in [0, 1], not "${value}"` };
    spec[key as keyof FaultSpec] = rate;
  }
  return { ok: true, spec };
}
