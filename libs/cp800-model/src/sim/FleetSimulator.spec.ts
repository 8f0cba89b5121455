import { createPublicKey, verify } from 'node:crypto';
import { parseOcmfSections, verifyOcmf } from '@metrology-ledger/ocmf';
import { verifyMetrologyLogEntry, type MetrologyLogEntry } from '../log/MetrologyLogEntry';
import { encodeDeliveries } from './EncodedDeliveries';
import { FleetSimulator } from './FleetSimulator';
import { DEFAULT_FAULTS, NO_FAULTS, parseFaultSpec, type FaultSpec } from './FaultSpec';
import type { SimulationManifest } from './SimulationManifest';
import type { MetrologyLogMessage, OcmfDatasetMessage, SimulationMessage } from './SimulationMessage';

const START = Date.UTC(2025, 0, 1);

function run(faults: FaultSpec, stations = 12, days = 4, seed = 42): { messages: SimulationMessage[]; manifest: SimulationManifest } {
  const sim = new FleetSimulator({ stations, days, seed, start: START, faults });
  const messages: SimulationMessage[] = [];
  for (const batch of sim.days()) messages.push(...batch);
  return { messages, manifest: sim.manifest };
}

const key = (s: string, k: string, c: number) => `${s}|${k}|${c}`;

function nodeVerifies(ocmf: string, spkiHex: string): boolean {
  const p = parseOcmfSections(ocmf);
  if (!p.ok) return false;
  const sd = Buffer.from(String(p.sections.signatureJson.SD), 'base64');
  return verify('sha256', Buffer.from(p.sections.payloadText), createPublicKey({ key: Buffer.from(spkiHex, 'hex'), format: 'der', type: 'spki' }), sd);
}

describe('FleetSimulator without faults', () => {
  const { messages, manifest } = run(NO_FAULTS, 8, 3);
  const datasets = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');

  it('signs datasets that verify with libs/ocmf and with plain node:crypto under the station key', () => {
    expect(datasets.length).toBeGreaterThan(50);
    const keys = new Map(manifest.registry.map((r) => [r.stationId, r.keys[0].publicKey]));
    for (const d of datasets) {
      expect(verifyOcmf(d.ocmf, { publicKey: keys.get(d.stationId) }).verdict).toBe('valid');
      expect(nodeVerifies(d.ocmf, keys.get(d.stationId)!)).toBe(true);
    }
  });

  it('paginates each station continuously from 1, one dataset per session', () => {
    const counters = new Map<string, number[]>();
    for (const d of datasets) {
      const c = Number(/"PG":"T(\d+)-/.exec(d.ocmf)![1]);
      counters.set(d.stationId, [...(counters.get(d.stationId) ?? []), c]);
    }
    for (const [stationId, cs] of counters) {
      const sorted = [...cs].sort((a, b) => a - b);
      expect(sorted).toEqual(sorted.map((_, i) => i + 1));
      const reg = manifest.registry.find((r) => r.stationId === stationId)!;
      expect(reg.lastCounterByKey[reg.keys[0].publicKey]).toBe(sorted.length);
    }
    expect(manifest.expected.gaps).toEqual([]);
  });

  it('delivers in time order and signs every metrology-log entry', () => {
    const times = messages.map((m) => Date.parse(m.sentAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const keys = new Map(manifest.registry.map((r) => [r.stationId, r.keys[0].publicKey]));
    const logs = messages.filter((m): m is MetrologyLogMessage => m.kind === 'metrology-log-entry');
    expect(logs.length).toBeGreaterThan(datasets.length);
    for (const l of logs) {
      const entry = { ...JSON.parse(l.entry.signedText), ...l.entry } as MetrologyLogEntry;
      expect(verifyMetrologyLogEntry(entry, keys.get(l.stationId)!).ok).toBe(true);
    }
  });

  it('is reproducible: the same seed gives the same payloads and the same order', () => {
    const again = run(NO_FAULTS, 8, 3);
    const payloads = (ms: SimulationMessage[]) =>
      ms.map((m) => (m.kind === 'ocmf-dataset' ? m.ocmf.slice(0, m.ocmf.lastIndexOf('|{')) : m.kind === 'metrology-log-entry' ? m.entry.signedText : m.messageId));
    expect(payloads(again.messages)).toEqual(payloads(messages));
  });
});

describe('FleetSimulator with injected faults: the manifest is the ground truth', () => {
  const spec = { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, reorder: 0.04, delay: 0.04, tamper: 0.03, wrongKey: 0.03, conflict: 0.03, keyReplace: 0.5, clockUnsync: 0.2, firmware: 0.2, stationFault: 0.2 };
  const { messages, manifest } = run(spec, 16, 6, 7);
  const datasets = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
  const keysOf = new Map(manifest.registry.map((r) => [r.stationId, r.keys.map((k) => k.publicKey)]));

  // What a correct ledger would see, computed independently from the delivered messages.
  const validBytes = new Map<string, Set<string>>();
  const validCount = new Map<string, number>();
  const rejections: { stationId: string; counter: number }[] = [];
  for (const d of datasets) {
    const counter = Number(/"PG":"T(\d+)-/.exec(d.ocmf)![1]);
    const k = keysOf.get(d.stationId)!.find((pk) => verifyOcmf(d.ocmf, { publicKey: pk }).verdict === 'valid');
    if (!k) {
      rejections.push({ stationId: d.stationId, counter });
      continue;
    }
    const id = key(d.stationId, k, counter);
    validBytes.set(id, (validBytes.get(id) ?? new Set()).add(d.ocmf));
    validCount.set(id, (validCount.get(id) ?? 0) + 1);
  }

  it('injected every kind of fault', () => {
    const kinds = new Set(manifest.injected.map((i) => i.kind));
    for (const k of ['drop', 'duplicate', 'reorder', 'delay', 'tamper', 'wrongKey', 'conflict', 'keyReplace', 'clockUnsync', 'firmware']) {
      expect(kinds).toContain(k);
    }
  });

  it('rejections are exactly the tampered and forged datasets', () => {
    const sortR = (xs: { stationId: string; counter: number }[]) => xs.map((x) => `${x.stationId}#${x.counter}`).sort();
    expect(sortR(rejections)).toEqual(sortR(manifest.expected.rejections));
  });

  it('gaps are exactly the dropped and tampered counters, per station key', () => {
    const gaps: string[] = [];
    for (const r of manifest.registry) {
      for (const [pk, last] of Object.entries(r.lastCounterByKey)) {
        for (let c = 1; c <= last; c++) if (!validBytes.has(key(r.stationId, pk, c))) gaps.push(key(r.stationId, pk, c));
      }
    }
    expect(gaps.sort()).toEqual(manifest.expected.gaps.map((g) => key(g.stationId, g.publicKey, g.counter)).sort());
  });

  it('duplicates and conflicts are exactly the ones injected', () => {
    const dups = [...validCount].filter(([id, n]) => n > validBytes.get(id)!.size).map(([id]) => id);
    const conflicts = [...validBytes].filter(([, b]) => b.size > 1).map(([id]) => id);
    expect(dups.sort()).toEqual(manifest.expected.duplicates.map((g) => key(g.stationId, g.publicKey, g.counter)).sort());
    expect(conflicts.sort()).toEqual(manifest.expected.conflicts.map((g) => key(g.stationId, g.publicKey, g.counter)).sort());
  });

  it('starts a new key with its own counter when a meter is replaced, and records both keys with their validity', () => {
    const replaced = manifest.registry.filter((r) => r.keys.length > 1);
    expect(replaced.length).toBeGreaterThan(0);
    const gapIds = new Set(manifest.expected.gaps.map((g) => key(g.stationId, g.publicKey, g.counter)));
    for (const r of replaced) {
      expect(r.keys[0].validTo).toBe(r.keys[1].validFrom);
      const newKey = r.keys[1].publicKey;
      if ((r.lastCounterByKey[newKey] ?? 0) > 0) {
        const first = key(r.stationId, newKey, 1);
        expect(validBytes.has(first) || gapIds.has(first)).toBe(true);
      }
    }
  });

  it('marks datasets with an unsynchronised clock with U after an NTP outage', () => {
    const unsynced = datasets.filter((d) => / U"/.test(d.ocmf));
    expect(unsynced.length).toBeGreaterThan(0);
    expect(messages.some((m) => m.kind === 'metrology-log-entry' && m.entry.signedText.includes('"ClockUnsync"'))).toBe(true);
  });
});

describe('FleetSimulator with clock jumps', () => {
  const signedTime = (ocmf: string) => Date.parse(/"TM":"([^,]+),(\d{3})/.exec(ocmf)!.slice(1, 3).join('.') + 'Z');
  const counterOf = (ocmf: string) => Number(/"PG":"T(\d+)-/.exec(ocmf)![1]);

  it('sets station clocks back and forth: a later counter signed at an earlier time, each jump in the manifest and logged as ClockChanged', () => {
    const { messages, manifest } = run({ ...NO_FAULTS, clockJump: 0.5 }, 6, 4, 11);
    const jumps = manifest.injected.filter((f) => f.kind === 'clockJump');
    expect(jumps.some((j) => j.detail!.includes('back'))).toBe(true);
    expect(jumps.some((j) => j.detail!.includes('forward'))).toBe(true);
    const changed = messages.filter((m) => m.kind === 'metrology-log-entry' && m.entry.signedText.includes('"ClockChanged"'));
    expect(changed.length).toBeGreaterThanOrEqual(jumps.length);
    let backwards = 0;
    for (const r of manifest.registry) {
      const own = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset' && m.stationId === r.stationId).sort((a, b) => counterOf(a.ocmf) - counterOf(b.ocmf));
      for (let i = 1; i < own.length; i++) if (signedTime(own[i].ocmf) < signedTime(own[i - 1].ocmf)) backwards++;
    }
    expect(backwards).toBeGreaterThan(0);
    expect(manifest.expected.gaps).toEqual([]);
  });
});

describe('fault spec', () => {
  it('parses rates and names what it does not know', () => {
    expect(parseFaultSpec('drop=0.1,tamper=0.01')).toMatchObject({ ok: true, spec: { drop: 0.1, tamper: 0.01, duplicate: 0 } });
    expect(parseFaultSpec('explode=1')).toMatchObject({ ok: false });
    expect(parseFaultSpec('drop=2')).toMatchObject({ ok: false });
    expect(parseFaultSpec('default')).toEqual({ ok: true, spec: DEFAULT_FAULTS });
  });
});

describe('FleetSimulator.dayEncoded', () => {
  // Every fault, delays among them (messages held over to later days), and a station fault now and then.
  const faults = { ...DEFAULT_FAULTS, delay: 0.1, reorder: 0.05, duplicate: 0.05, stationFault: 0.3, clockJump: 0.1 };
  const options = { stations: 9, days: 4, seed: 5, start: START, faults, signing: 'unsigned' as const };

  it('gives the same lines, times and order as encoding the message objects of day(), and the same manifest', () => {
    const objects = new FleetSimulator(options);
    const encoded = new FleetSimulator(options);
    let early = 0;
    for (let d = 0; d < options.days; d++) {
      const expected = encodeDeliveries(objects.day(d));
      const got = encoded.dayEncoded(d);
      expect(Buffer.from(got.bytes).toString('utf8')).toBe(Buffer.from(expected.bytes).toString('utf8'));
      expect([...got.times]).toEqual([...expected.times]);
      expect([...got.ends]).toEqual([...expected.ends]);
      expect(got.bytes.byteOffset).toBe(0);
      encoded.recycle(got.bytes.buffer); // the next day may write into it: the lines were compared
      // Held over until due: a day holds nothing due later, except the last, which releases the rest.
      if (d < options.days - 1) early += [...got.times].filter((t) => t >= START + (d + 1) * 86_400_000).length;
    }
    expect(JSON.stringify(encoded.manifest)).toBe(JSON.stringify(objects.manifest));
    expect(encoded.manifest.expected.lateArrivals.some((l) => l.kind === 'delay')).toBe(true);
    expect(early).toBe(0);
  });

  it('is not mixed with day() on one simulator', () => {
    const a = new FleetSimulator(options);
    a.day(0);
    expect(() => a.dayEncoded(1)).toThrow(/message objects/);
    const b = new FleetSimulator(options);
    b.dayEncoded(0);
    expect(() => b.day(1)).toThrow(/encoded days/);
  });
});
