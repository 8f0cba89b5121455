import { FAULT_CATALOGUE } from '../faults/FaultCatalogue';
import { isoUtc } from '../isoUtc';
import type { SeededRandom } from '../SeededRandom';
import { signCp800Dataset } from '../station/Cp800OcmfWriter';
import { Cp800Station, type SignedSession, type StationEvent } from '../station/Cp800Station';
import { generateIdentity, type ConnectorId } from '../station/StationIdentity';
import { StationSigningKey, type SigningMode } from '../station/StationSigningKey';
import type { FaultSpec } from './FaultSpec';
import type { ManifestStation, SimulationManifest } from './SimulationManifest';
import type { OcmfDatasetMessage, SimulationMessage } from './SimulationMessage';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const EMSPS = ['DE-EMP-ALPHA', 'DE-EMP-BETA', 'DE-EMP-GAMMA', 'AT-EMP-DELTA'];

/** A message with its delivery time in ms, for merging. */
export interface Timed {
  sentAtMs: number;
  message: SimulationMessage;
}

interface Action {
  t: number;
  run: () => void;
}

/**
 * One simulated station over the run: plans each day (arrivals, NTP syncs, updates, faults), drives
 * the CP800 model through it, and turns what the station emits into delivered messages, applying the
 * delivery faults and writing the ground truth into the manifest.
 */
export class StationAgent {
  readonly station: Cp800Station;
  readonly registry: ManifestStation;
  private readonly agenda: Action[] = [];
  private readonly out: Timed[] = [];
  /** Where messages go as they are emitted; by default into what `simulateDay` returns. */
  private deliver: (sentAtMs: number, message: SimulationMessage) => void = (sentAtMs, message) => this.out.push({ sentAtMs, message });
  private now = 0;
  private msgSeq = 0;
  private nextArrival = new Map<ConnectorId, number>();
  private ntpOutageUntil = 0;
  private keyReplaceAt: number | undefined;
  private rogue: StationSigningKey | undefined;
  private readonly signing: SigningMode;
  /** The day's datasets; `faulted` when a conflict or forgery was already injected for it (one fault per dataset). */
  private datasetsToday: { timed: Timed; publicKey: string; counter: number; faulted: boolean }[] = [];

  constructor(
    index: number,
    private readonly rng: SeededRandom,
    private readonly start: number,
    days: number,
    private readonly faults: FaultSpec,
    private readonly manifest: SimulationManifest,
    signing: SigningMode,
  ) {
    const identity = generateIdentity(rng.fork('identity'), index);
    this.station = new Cp800Station(identity, rng.fork('station'), { onEvent: (e) => this.onStationEvent(e), signing, logRetention: 0 });
    this.signing = signing;
    this.registry = {
      stationId: identity.stationId,
      serial: identity.serial,
      connectors: [...identity.connectors],
      cable: identity.cable,
      keys: [{ publicKey: this.station.publicKey, validFrom: new Date(start).toISOString() }],
      lastCounterByKey: {},
    };
    if (rng.chance(faults.keyReplace)) this.keyReplaceAt = start + rng.between(DAY, Math.max(DAY, days * DAY - DAY));
    // Commissioned before the run starts, so day one already sees sessions.
    this.now = start - HOUR;
    this.station.activate(this.now);
    this.station.syncClock(this.now + MIN);
    for (const c of identity.connectors) this.nextArrival.set(c, start + rng.exponential(6 * HOUR));
  }

  get stationId(): string {
    return this.station.identity.stationId;
  }

  private schedule(t: number, run: () => void): void {
    let i = this.agenda.length;
    while (i > 0 && this.agenda[i - 1].t > t) i--;
    this.agenda.splice(i, 0, { t, run });
  }

  private id(kind: string): string {
    return `${this.stationId}:${kind}:${++this.msgSeq}`;
  }

  private latency(): number {
    return Math.round(this.rng.between(200, 5000));
  }

  /**
   * Hands every message not yet returned, and from now on each as it is emitted (final: delivery
   * faults are applied before a dataset is emitted), to `deliver` instead of returning them from
   * `simulateDay`.
   */
  deliverTo(deliver: (sentAtMs: number, message: SimulationMessage) => void): void {
    this.deliver = deliver;
    // What commissioning emitted before.
    for (const m of this.out.splice(0)) deliver(m.sentAtMs, m.message);
  }

  private emit(atMs: number, message: SimulationMessage): void {
    this.deliver(atMs, message);
  }

  private onStationEvent(e: StationEvent): void {
    if (e.kind === 'log') {
      // The entry's time, to the second, as Date.parse(e.entry.time) reads it.
      const at = Math.max(this.now, Math.floor(Math.trunc(e.stationTimeMs) / 1000) * 1000) + this.latency();
      const { signedText, signature, algorithm } = e.entry;
      this.emit(at, {
        kind: 'metrology-log-entry',
        messageId: this.id('log'),
        stationId: this.stationId,
        entry: { signedText, signature, algorithm },
        sentAt: isoUtc(at),
      });
      this.manifest.counts.logEntries++;
    } else {
      const at = e.at + this.latency();
      this.emit(at, {
        kind: 'station-fault',
        messageId: this.id('fault'),
        stationId: this.stationId,
        faultId: e.fault.id,
        severity: e.fault.severity,
        hostMessage: e.fault.hostMessage,
        state: e.kind === 'fault-raised' ? 'raised' : 'cleared',
        at: isoUtc(e.at),
        sentAt: isoUtc(at),
      });
      this.manifest.counts.faultMessages++;
    }
  }

  /**
   * Plans and runs the day starting at `dayStart`; returns every message produced, with delivery
   * faults applied (none when they go to `deliverTo`'s function).
   */
  simulateDay(dayStart: number): Timed[] {
    const dayEnd = dayStart + DAY;
    this.planDay(dayStart, dayEnd);
    while (this.agenda.length > 0 && this.agenda[0].t < dayEnd) {
      const action = this.agenda.shift()!;
      this.now = action.t;
      action.run();
      for (const s of this.station.takeAbortedSessions()) this.onDataset(s);
    }
    this.applyDeliveryFaults();
    return this.out.splice(0);
  }

  private planDay(dayStart: number, dayEnd: number): void {
    const rng = this.rng;
    // NTP: a successful sync every 6 hours (more often changes nothing the ledger can see), except
    // during an outage; an outage of over 12 h makes the clock lose its synchronisation.
    if (rng.chance(this.faults.clockUnsync)) {
      const from = dayStart + rng.between(0, DAY);
      this.ntpOutageUntil = from + rng.between(13 * HOUR, 20 * HOUR);
      this.manifest.injected.push({ kind: 'clockUnsync', stationId: this.stationId, at: new Date(from).toISOString(), detail: `NTP unreachable until ${new Date(this.ntpOutageUntil).toISOString()}` });
    }
    for (let h = 0; h < 24; h += 6) {
      const t = dayStart + h * HOUR + rng.int(0, 359) * MIN;
      if (t >= this.ntpOutageUntil) this.schedule(t, () => this.station.syncClock(t));
      else this.schedule(t, () => this.station.checkClock(t));
    }
    // Only drawn when asked for, so that runs without it stay what they were for a seed.
    if (this.faults.clockJump > 0) {
      for (let h = 0; h < 24; h += 6) {
        if (!rng.chance(this.faults.clockJump)) continue;
        const t = dayStart + h * HOUR + rng.int(0, 359) * MIN;
        const delta = (rng.chance(0.5) ? -1 : 1) * Math.round(rng.between(10 * MIN, 36 * HOUR));
        this.schedule(t, () => this.station.jumpClock(t, delta));
        this.manifest.injected.push({ kind: 'clockJump', stationId: this.stationId, at: new Date(t).toISOString(), detail: `clock set ${delta > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(delta) / MIN)} min` });
      }
    }
    for (const connector of this.station.identity.connectors) this.planSessions(connector, dayEnd);
    if (rng.chance(this.faults.firmware)) {
      const t = dayStart + rng.between(0, DAY - 2 * HOUR);
      const [maj, min, patch] = this.station.identity.lrsVersion.split('.').map(Number);
      const next = `${maj}.${min}.${patch + 1}`;
      const outcome = rng.chance(0.85) ? 'installed' : rng.chance(0.5) ? 'download-failed' : 'install-failed';
      this.schedule(t, () => this.station.updateFirmware(t, next, outcome));
      this.manifest.injected.push({ kind: 'firmware', stationId: this.stationId, at: new Date(t).toISOString(), detail: `${next}: ${outcome}` });
    }
    if (rng.chance(this.faults.stationFault)) this.planStationFault(dayStart + rng.between(0, DAY - HOUR));
    if (this.keyReplaceAt !== undefined && this.keyReplaceAt < dayEnd) {
      const t = this.keyReplaceAt;
      this.keyReplaceAt = undefined;
      this.schedule(t, () => {
        // Sessions in progress end before the meter is swapped.
        for (const c of this.station.identity.connectors) {
          const s = this.station.stopSession(t - 1, c);
          if (s) this.onDataset(s);
        }
        const { oldKey, newKey } = this.station.replaceMeter(t);
        const iso = new Date(t).toISOString();
        const current = this.registry.keys.find((k) => k.publicKey === oldKey && k.validTo === undefined);
        if (current) current.validTo = iso;
        this.registry.keys.push({ publicKey: newKey, validFrom: iso });
        this.manifest.injected.push({ kind: 'keyReplace', stationId: this.stationId, at: iso, detail: `new key ${newKey.slice(-16)}` });
      });
    }
  }

  private planSessions(connector: ConnectorId, dayEnd: number): void {
    const rng = this.rng;
    let arrival = this.nextArrival.get(connector)!;
    while (arrival < dayEnd) {
      const park = rng.between(20 * MIN, 9 * HOUR);
      const departure = arrival + park;
      const vehicle = {
        maxCurrentA: rng.pick([10, 13, 16, 16, 16, 32]),
        phases: rng.chance(0.75) ? (3 as const) : (1 as const),
        energyDemandWh: Math.round(rng.between(3_000, 60_000)),
      };
      const request = { connector, idTag: Buffer.from(rng.bytes(rng.chance(0.5) ? 4 : 7)).toString('hex').toUpperCase(), emspId: rng.pick(EMSPS), vehicle };
      const t0 = arrival;
      this.schedule(t0, () => this.station.startSession(t0, request));
      if (rng.chance(0.2)) {
        const ts = t0 + park * rng.between(0.2, 0.5);
        const tr = ts + park * rng.between(0.05, 0.2);
        this.schedule(ts, () => this.station.suspend(ts, connector));
        this.schedule(tr, () => this.station.resume(tr, connector));
      }
      if (rng.chance(0.1)) {
        const tl = t0 + park * rng.between(0.1, 0.6);
        const amps = rng.pick([8, 10, 12]);
        this.schedule(tl, () => this.station.setScheduleLimit(tl, connector, amps));
      }
      this.schedule(departure, () => {
        const s = this.station.stopSession(departure, connector);
        if (s) this.onDataset(s);
      });
      arrival = departure + rng.exponential(4 * HOUR) + 5 * MIN;
    }
    this.nextArrival.set(connector, arrival);
  }

  private planStationFault(t: number): void {
    const rng = this.rng;
    const connector = this.station.identity.connectors[0];
    const iso = new Date(t).toISOString();
    const scenario = rng.int(0, 9);
    if (scenario === 0) {
      // A vehicle overdraws: three trips and resumes, then lockout; the operator power-cycles later.
      this.schedule(t, () => {
        if (!this.station.hasSession(connector)) return;
        for (let k = 0; k < 4; k++) this.station.overcurrent(t + k * MIN, connector, 42, 30_000);
      });
      const off = t + rng.between(HOUR, 10 * HOUR);
      this.schedule(off, () => this.station.powerOff(off).forEach((s) => this.onDataset(s)));
      this.schedule(off + 2 * MIN, () => this.station.powerOn(off + 2 * MIN));
      this.manifest.injected.push({ kind: 'overload', stationId: this.stationId, at: iso });
    } else if (scenario === 1) {
      this.schedule(t, () => this.station.weldContactsOnNextStop());
      const repair = t + rng.between(DAY, 2 * DAY);
      this.schedule(repair, () => this.station.repairWeldedContact(repair));
      this.manifest.injected.push({ kind: 'welded', stationId: this.stationId, at: iso, detail: 'detected at the end of the next session' });
    } else if (scenario === 2) {
      const d = rng.chance(0.5) ? 12_000 : 4_000;
      this.schedule(t, () => this.station.dcLeakage(t, connector, d));
      this.manifest.injected.push({ kind: 'dcLeakage', stationId: this.stationId, at: iso, detail: `${d} ms` });
    } else if (scenario === 3) {
      this.schedule(t, () => {
        if (this.station.hasSession(connector)) this.station.requestVentilation(t, connector);
      });
      const clear = t + rng.between(10 * MIN, 2 * HOUR);
      this.schedule(clear, () => this.station.clearFault(clear, 'unable-provide-ventilation'));
      this.manifest.injected.push({ kind: 'ventilation', stationId: this.stationId, at: iso });
    } else {
      const fault = rng.pick(FAULT_CATALOGUE);
      this.schedule(t, () => this.station.raiseFault(t, fault.id));
      const clear = t + (fault.severity === 'Critical' ? rng.between(DAY, 2 * DAY) : rng.between(10 * MIN, 6 * HOUR));
      this.schedule(clear, () => this.station.clearFault(clear, fault.id));
      this.manifest.injected.push({ kind: 'stationFault', stationId: this.stationId, at: iso, detail: fault.id });
    }
  }

  /** A dataset the station signed: becomes a message; conflicts and forgeries are made here, with the keys of the moment. */
  private onDataset(s: SignedSession): void {
    this.manifest.counts.datasets++;
    this.registry.lastCounterByKey[s.publicKey] = Math.max(this.registry.lastCounterByKey[s.publicKey] ?? 0, s.counter);
    const at = s.endedAt + this.latency();
    const msg = this.datasetMessage(s, s.ocmf, at);
    const entry = { timed: { sentAtMs: at, message: msg }, publicKey: s.publicKey, counter: s.counter, faulted: false };
    this.datasetsToday.push(entry);
    const r = this.rng.float();
    const f = this.faults;
    if (r < f.conflict + f.wrongKey) entry.faulted = true;
    if (r < f.conflict) {
      // The station signs a second dataset with the same counter and other values (e.g. after a restore).
      const other = this.station.signWithStationKey(payloadOf(changeEnd(s.ocmf)));
      const t2 = at + this.rng.between(MIN, HOUR);
      this.emit(t2, this.datasetMessage(s, other, t2));
      this.manifest.counts.deliveredDatasetMessages++;
      this.manifest.expected.conflicts.push({ stationId: this.stationId, publicKey: s.publicKey, counter: s.counter });
      this.manifest.injected.push({ kind: 'conflict', stationId: this.stationId, publicKey: s.publicKey, counter: s.counter, at: isoUtc(s.endedAt) });
    } else if (r < f.conflict + f.wrongKey) {
      const forged = signCp800Dataset(payloadOf(changeEnd(s.ocmf)), this.rogueKey());
      const t2 = at + this.rng.between(MIN, HOUR);
      this.emit(t2, this.datasetMessage(s, forged, t2));
      this.manifest.counts.deliveredDatasetMessages++;
      this.manifest.expected.rejections.push({ stationId: this.stationId, counter: s.counter, reason: 'wrong-key' });
      this.manifest.injected.push({ kind: 'wrongKey', stationId: this.stationId, publicKey: s.publicKey, counter: s.counter, at: isoUtc(s.endedAt) });
    }
  }

  /** A key the operator never registered, as a forger or a misconfigured device would use. */
  private rogueKey(): StationSigningKey {
    return (this.rogue ??= StationSigningKey.generate(this.rng.fork('rogue'), this.signing));
  }

  private datasetMessage(s: SignedSession, ocmf: string, at: number): OcmfDatasetMessage {
    return {
      kind: 'ocmf-dataset',
      messageId: this.id('ocmf'),
      stationId: s.stationId,
      connector: s.connector,
      transactionId: s.transactionId,
      emspId: s.emspId,
      ocmf,
      sentAt: isoUtc(at),
    };
  }

  /** Drop, tamper, duplicate, reorder, delay: at most one per dataset, chosen in that order of rates. */
  private applyDeliveryFaults(): void {
    const f = this.faults;
    const list = this.datasetsToday.splice(0);
    for (let i = 0; i < list.length; i++) {
      const d = list[i].timed;
      const publicKey = list[i].publicKey;
      const msg = d.message as OcmfDatasetMessage;
      const counter = list[i].counter; // the PG counter of the dataset as signed
      const base = { stationId: this.stationId, publicKey, counter };
      const sentAtMs = d.sentAtMs; // the injected fault is listed at the first planned delivery
      const r = list[i].faulted ? 1 : this.rng.float();
      let edge = f.drop;
      if (r < edge) {
        this.manifest.expected.gaps.push(base);
        this.manifest.injected.push({ kind: 'drop', ...base, at: isoUtc(sentAtMs) });
        continue;
      }
      if (r < (edge += f.tamper)) {
        msg.ocmf = changeEnd(msg.ocmf);
        this.manifest.expected.gaps.push(base);
        this.manifest.expected.rejections.push({ stationId: this.stationId, counter, reason: 'tampered' });
        this.manifest.injected.push({ kind: 'tamper', ...base, at: isoUtc(sentAtMs) });
      } else if (r < (edge += f.duplicate)) {
        const again = d.sentAtMs + this.rng.between(1000, 10 * MIN);
        this.emit(again, { ...msg, messageId: this.id('ocmf'), sentAt: isoUtc(again) });
        this.manifest.counts.deliveredDatasetMessages++;
        this.manifest.expected.duplicates.push(base);
        this.manifest.injected.push({ kind: 'duplicate', ...base, at: isoUtc(sentAtMs) });
      } else if (r < (edge += f.reorder) && i + 1 < list.length && !list[i + 1].faulted) {
        const next = list[i + 1].timed;
        [d.sentAtMs, next.sentAtMs] = [next.sentAtMs, d.sentAtMs];
        msg.sentAt = isoUtc(d.sentAtMs);
        (next.message as OcmfDatasetMessage).sentAt = isoUtc(next.sentAtMs);
        this.manifest.expected.lateArrivals.push({ ...base, kind: 'reorder' });
        this.manifest.injected.push({ kind: 'reorder', ...base, at: isoUtc(sentAtMs) });
        this.emit(d.sentAtMs, msg);
        this.emit(next.sentAtMs, next.message);
        this.manifest.counts.deliveredDatasetMessages += 2;
        i++; // the swapped partner gets no fault of its own
        continue;
      } else if (r < (edge += f.delay)) {
        d.sentAtMs += this.rng.between(2 * HOUR, 12 * HOUR);
        msg.sentAt = isoUtc(d.sentAtMs);
        this.manifest.expected.lateArrivals.push({ ...base, kind: 'delay' });
        this.manifest.injected.push({ kind: 'delay', ...base, at: isoUtc(sentAtMs) });
      }
      this.emit(d.sentAtMs, msg);
      this.manifest.counts.deliveredDatasetMessages++;
    }
  }
}

function payloadOf(ocmf: string): string {
  return ocmf.slice(5, ocmf.lastIndexOf('|{'));
}

/** The dataset with its last reading value raised by 1 kWh (signature left as it was). */
export function changeEnd(ocmf: string): string {
  return ocmf.replace(/("RV":)([0-9.]+)(?!.*"RV":)/s, (_m, k: string, v: string) => `${k}${(Number(v) + 1).toFixed(4).replace(/0+$/, '').replace(/\.$/, '.0')}`);
}
