import { faultById, type FaultDefinition } from '../faults/FaultCatalogue';
import { MetrologyLog } from '../log/MetrologyLog';
import type { MetrologyLogEntry } from '../log/MetrologyLogEntry';
import { cableLossMilliWh } from '../meter/CableLossCompensation';
import { effectiveCurrentA, powerW } from '../meter/ChargingPower';
import { EnergyMeter, SessionLoss, toKWh4 } from '../meter/EnergyMeter';
import type { SeededRandom } from '../SeededRandom';
import { cp800PayloadText, signCp800Dataset, type Cp800Reading } from './Cp800OcmfWriter';
import { evaluateDcLeakage, type LeakageOutcome } from './DcLeakageDetection';
import { LED, type LedStatus } from './LedStatus';
import { OverloadProtection, type OverloadOutcome } from './OverloadProtection';
import { StationClock } from './StationClock';
import { CABLE_RESISTANCE_UOHM, type CableKind, type ConnectorId, type StationIdentity } from './StationIdentity';
import { StationSigningKey, type SigningMode } from './StationSigningKey';

export interface Vehicle {
  /** Most the vehicle's charger draws per phase, A. */
  maxCurrentA: number;
  phases: 1 | 3;
  /** Energy it takes before it stops drawing, Wh. */
  energyDemandWh: number;
}

export interface SessionRequest {
  connector: ConnectorId;
  /** Identification data (RFID UID or app token) written to ID. */
  idTag: string;
  /** The eMSP the session belongs to (not in the OCMF; carried with the message). */
  emspId: string;
  vehicle: Vehicle;
}

/** A finished session: the signed OCMF dataset and what a back end needs to file it. */
export interface SignedSession {
  stationId: string;
  connector: ConnectorId;
  transactionId: string;
  emspId: string;
  counter: number;
  ocmf: string;
  publicKey: string;
  endedAt: number;
  deliveredKWh: number;
}

export interface ActiveFault {
  fault: FaultDefinition;
  raisedAt: number;
}

export type StationEvent =
  /** `stationTimeMs`: the station time the entry was written at (its `time` is that to the second). */
  | { kind: 'log'; entry: MetrologyLogEntry; stationTimeMs: number }
  | { kind: 'fault-raised'; fault: FaultDefinition; at: number }
  | { kind: 'fault-cleared'; fault: FaultDefinition; at: number };

interface ActiveSession {
  request: SessionRequest;
  transactionId: string;
  readings: Cp800Reading[];
  meter: EnergyMeter;
  beginRawMilliWh: number;
  loss: SessionLoss;
  /** True time up to which energy has been integrated. */
  integratedTo: number;
  charging: boolean;
  scheduleA?: number;
  deliveredMilliWh: number;
}

export type StartRefusal = { refused: true; reason: string };

export interface StationOptions {
  /** Everything the station emits: log entries, faults raised and cleared. */
  onEvent?: (e: StationEvent) => void;
  signing?: SigningMode;
  /** Log entries kept readable in memory (default: all). */
  logRetention?: number;
}

/**
 * A ChargePoint CP800 / Flex Series station: identity and key, clock, meter with cable-loss
 * compensation, sessions ending in one signed OCMF dataset, metrology log, faults and protections.
 * Time is passed in (true time, ms): the model is deterministic and has no timers.
 */
export class Cp800Station {
  readonly clock: StationClock;
  readonly log: MetrologyLog;
  private key: StationSigningKey;
  private counter = 0;
  private readonly meters = new Map<ConnectorId, EnergyMeter>();
  private readonly sessions = new Map<ConnectorId, ActiveSession>();
  private readonly faults = new Map<string, ActiveFault>();
  private readonly overload = new OverloadProtection();
  private welded = false;
  private weldOnNextStop = false;
  private powered = false;
  private poweredOffAt: number | undefined;
  private installing = false;

  private readonly onEvent: (e: StationEvent) => void;

  constructor(
    readonly identity: StationIdentity,
    private readonly rng: SeededRandom,
    options: StationOptions = {},
  ) {
    this.onEvent = options.onEvent ?? (() => undefined);
    this.key = StationSigningKey.generate(rng.fork('key'), options.signing ?? 'openssl');
    this.clock = new StationClock(rng.fork('clock'));
    this.log = new MetrologyLog(identity.stationId, () => this.key, (entry, stationTimeMs) => this.onEvent({ kind: 'log', entry, stationTimeMs }), options.logRetention);
    for (const c of identity.connectors) this.meters.set(c, new EnergyMeter(rng.between(0, 5000)));
  }

  get publicKey(): string {
    return this.key.publicKeySpkiHex;
  }

  get paginationCounter(): number {
    return this.counter;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  activeFaults(): ActiveFault[] {
    return [...this.faults.values()];
  }

  hasSession(connector: ConnectorId): boolean {
    return this.sessions.has(connector);
  }

  private stationTime(t: number): number {
    return this.clock.now(t);
  }

  private logAt(t: number, ...args: Parameters<MetrologyLog['append']> extends [number, ...infer R] ? R : never): MetrologyLogEntry {
    return this.log.append(this.stationTime(t), ...args);
  }

  // --- power, commissioning, clock -------------------------------------------------------------

  /** Commissioning: first power-on and activation. */
  activate(t: number): void {
    this.powerOn(t);
    this.logAt(t, 'StationActivated', { activated: true });
  }

  powerOn(t: number): void {
    if (this.powered) return;
    const offMs = this.poweredOffAt === undefined ? Infinity : t - this.poweredOffAt;
    if (this.overload.lockedOut && this.overload.powerCycle(offMs)) this.clearFault(t, 'ac-over-current');
    this.powered = true;
    // The RTC is far off at first start (the manual's sample log shows ClockChanged at the first sync)
    // and a little off after a power cut.
    const rtcError = this.poweredOffAt === undefined ? 120_000 : 2_000;
    this.clock.boot(Math.round(this.rng.between(-rtcError, rtcError)));
    this.logAt(t, 'EichrechtServiceStarted');
    this.logAt(t, 'ClockUnsync');
    if (this.faults.has('urn:fault:koala:eichrecht-meter-mismatch')) this.logAt(t, 'MeterTestFailed');
    else this.logAt(t, 'MeterTestPassed', { udid: this.udid() });
  }

  /** Power cut or breaker off. Running sessions end with a power-failure reading (P). */
  powerOff(t: number): SignedSession[] {
    if (!this.powered) return [];
    const ended = [...this.sessions.keys()].map((c) => this.finishSession(t, c, 'P'));
    this.logAt(t, 'EichrechtServiceStopped');
    this.powered = false;
    this.poweredOffAt = t;
    return ended.filter((s): s is SignedSession => s !== undefined);
  }

  /** An NTP sync attempt at `t` (successful). */
  syncClock(t: number): void {
    this.checkClock(t);
    for (const transition of this.clock.sync(t)) this.logAt(t, transition);
  }

  /** The clock set `deltaMs` forward or back at `t` (logged as ClockChanged, at the new station time). */
  jumpClock(t: number, deltaMs: number): void {
    this.checkClock(t);
    this.clock.jump(deltaMs);
    this.logAt(t, 'ClockChanged');
  }

  /** Lets the clock notice a sync older than 12 h. Call before using station time. */
  checkClock(t: number): void {
    const lostAtStationTime = this.clock.check(t);
    if (lostAtStationTime !== undefined) this.log.append(lostAtStationTime, 'ClockUnsync');
  }

  // --- sessions ---------------------------------------------------------------------------------

  /** Why no session can start now, or undefined. */
  refusalReason(connector: ConnectorId): string | undefined {
    if (!this.powered) return 'station is powered off';
    if (!this.identity.connectors.includes(connector)) return `station has no connector ${connector}`;
    if (this.welded) return 'welded contact detected: out of service until repaired';
    if (this.overload.lockedOut) return 'overload error: no sessions until a power cycle with one minute off';
    const critical = [...this.faults.values()].find((f) => f.fault.severity === 'Critical');
    if (critical) return `critical fault ${critical.fault.id}: out of service`;
    if (this.installing) return 'installing software';
    if (this.sessions.has(connector)) return `connector ${connector} is busy`;
    return undefined;
  }

  startSession(t: number, request: SessionRequest): { transactionId: string } | StartRefusal {
    this.checkClock(t);
    const reason = this.refusalReason(request.connector);
    if (reason) return { refused: true, reason };
    const meter = this.meters.get(request.connector)!;
    const transactionId = this.rng.digits(19);
    const session: ActiveSession = {
      request,
      transactionId,
      readings: [],
      meter,
      beginRawMilliWh: meter.rawMilliWh,
      loss: new SessionLoss(CABLE_RESISTANCE_UOHM[this.identity.cable]),
      integratedTo: t,
      charging: true,
      deliveredMilliWh: 0,
    };
    this.overload.resetForSession();
    this.sessions.set(request.connector, session);
    this.addReading(t, session, 'B');
    this.logAt(t, 'ChargingStarted', { connector: request.connector, sessionId: transactionId });
    return { transactionId };
  }

  /** Current flowing now on a connector (0 when suspended, full or limited below 6 A). */
  currentA(connector: ConnectorId): number {
    const s = this.sessions.get(connector);
    if (!s || !s.charging || s.deliveredMilliWh >= s.request.vehicle.energyDemandWh * 1000) return 0;
    return effectiveCurrentA({ stationA: this.identity.maxCurrentA, vehicleA: s.request.vehicle.maxCurrentA, scheduleA: s.scheduleA });
  }

  private phases(s: ActiveSession): 1 | 3 {
    return s.request.vehicle.phases === 1 || this.identity.phases === 1 ? 1 : 3;
  }

  /** Integrates energy and cable loss up to `t`; the vehicle stops drawing once its demand is met. */
  private advance(t: number, s: ActiveSession): void {
    if (t <= s.integratedTo) return;
    const connector = s.request.connector;
    const i = this.currentA(connector);
    let dt = t - s.integratedTo;
    if (i > 0) {
      const phases = this.phases(s);
      // Net energy per ms reaching the vehicle: meter energy minus the cable loss.
      const netPerMs = powerW(i, phases) / 3600 - cableLossMilliWh(CABLE_RESISTANCE_UOHM[this.identity.cable], i, phases, 1);
      const remaining = s.request.vehicle.energyDemandWh * 1000 - s.deliveredMilliWh;
      if (netPerMs > 0 && netPerMs * dt > remaining) dt = remaining / netPerMs;
      s.meter.run(i, phases, dt);
      s.loss.add(i, phases, dt);
      s.deliveredMilliWh += netPerMs * dt;
    }
    s.integratedTo = t;
  }

  /** Energy management / schedule: limit the current from `t` on (undefined lifts the limit). */
  setScheduleLimit(t: number, connector: ConnectorId, amps: number | undefined): void {
    const s = this.sessions.get(connector);
    if (!s) return;
    this.advance(t, s);
    s.scheduleA = amps;
  }

  suspend(t: number, connector: ConnectorId): void {
    const s = this.sessions.get(connector);
    if (!s || !s.charging) return;
    this.advance(t, s);
    s.charging = false;
    this.addReading(t, s, 'S');
    this.logAt(t, 'ChargingSuspended', { connector, sessionId: s.transactionId });
  }

  resume(t: number, connector: ConnectorId): void {
    const s = this.sessions.get(connector);
    if (!s || s.charging) return;
    this.advance(t, s);
    s.charging = true;
    this.addReading(t, s, 'C');
    this.logAt(t, 'ChargingResumed', { connector, sessionId: s.transactionId });
  }

  /** Normal end of a session (vehicle unplugged or stop requested). */
  stopSession(t: number, connector: ConnectorId): SignedSession | undefined {
    return this.finishSession(t, connector, 'E');
  }

  private finishSession(t: number, connector: ConnectorId, tx: 'E' | 'A' | 'P'): SignedSession | undefined {
    const s = this.sessions.get(connector);
    if (!s) return undefined;
    this.checkClock(t);
    this.advance(t, s);
    this.addReading(t, s, tx);
    this.sessions.delete(connector);
    this.logAt(t, 'ChargingStopped', { connector, sessionId: s.transactionId });
    this.counter++;
    const payload = cp800PayloadText(this.identity, {
      counter: this.counter,
      transactionId: s.transactionId,
      connector,
      idTag: s.request.idTag,
      readings: s.readings,
    });
    const signed: SignedSession = {
      stationId: this.identity.stationId,
      connector,
      transactionId: s.transactionId,
      emspId: s.request.emspId,
      counter: this.counter,
      ocmf: signCp800Dataset(payload, this.key),
      publicKey: this.key.publicKeySpkiHex,
      endedAt: t,
      deliveredKWh: toKWh4(s.meter.rawMilliWh - s.beginRawMilliWh - s.loss.milliWh),
    };
    if (this.weldOnNextStop) {
      // Welded contacts can only be detected after a session (manual, "Détection de contacts soudés").
      this.weldOnNextStop = false;
      this.welded = true;
      this.raiseFault(t, 'acs-hardware-error');
    }
    return signed;
  }

  private addReading(t: number, s: ActiveSession, tx: Cp800Reading['tx']): void {
    const raw = s.meter.rawMilliWh;
    s.readings.push({
      tx,
      stationTimeMs: this.stationTime(t),
      timeStatus: this.clock.timeStatus,
      // Compensated: the cumulated cable loss is withdrawn from the register (CL is 0 at B).
      valueKWh: toKWh4(raw - s.loss.milliWh),
      lossKWh: toKWh4(s.loss.milliWh),
      status: 'G',
    });
  }

  // --- protections ------------------------------------------------------------------------------

  /**
   * The vehicle draws `currentA` from `t` for `durationMs`. Applies the overload protection; a trip
   * opens the contacts at `tripAt` and closes them again at `resumeAt`; a lockout ends the session.
   */
  overcurrent(t: number, connector: ConnectorId, currentA: number, durationMs: number): OverloadOutcome {
    const s = this.sessions.get(connector);
    const limit = s
      ? Math.min(this.identity.maxCurrentA, s.request.vehicle.maxCurrentA, s.scheduleA ?? Infinity)
      : this.identity.maxCurrentA;
    const outcome = this.overload.onOvercurrent(t, currentA, limit, durationMs);
    if (!s || outcome.kind === 'tolerated') return outcome;
    if (outcome.kind === 'tripped') {
      this.raiseFault(outcome.tripAt, 'ac-over-current-soft', false);
      this.suspend(outcome.tripAt, connector);
      this.resume(outcome.resumeAt, connector);
      this.clearFault(outcome.resumeAt, 'ac-over-current-soft');
    } else {
      this.raiseFault(outcome.tripAt, 'ac-over-current', false);
      this.finishSessionAbort(outcome.tripAt, connector);
    }
    return outcome;
  }

  /** 6 mA DC leakage lasting `durationMs` from `t`. */
  dcLeakage(t: number, connector: ConnectorId, durationMs: number): LeakageOutcome {
    const outcome = evaluateDcLeakage(t, durationMs);
    if (outcome.kind === 'tripped') {
      this.raiseFault(outcome.tripAt, 'dc-ground-fault', false);
      this.finishSessionAbort(outcome.tripAt, connector);
      this.clearFault(outcome.clearsAt, 'dc-ground-fault');
    } else if (outcome.kind === 'non-recoverable') {
      this.raiseFault(outcome.tripAt, 'dc-ground-fault-nonrecoverable', false);
      this.finishSessionAbort(outcome.tripAt, connector);
    }
    return outcome;
  }

  /** Unplugging the vehicle resets a non-recoverable DC ground fault. */
  unplug(t: number): void {
    this.clearFault(t, 'dc-ground-fault-nonrecoverable');
  }

  /** The vehicle asks for ventilation (IEC 61851 state D): not supported, the session is interrupted. */
  requestVentilation(t: number, connector: ConnectorId): SignedSession | undefined {
    this.raiseFault(t, 'unable-provide-ventilation', false);
    return this.finishSessionAbort(t, connector);
  }

  /** Marks the switching contacts to weld during the current/next session (detected at its end). */
  weldContactsOnNextStop(): void {
    this.weldOnNextStop = true;
  }

  get hasWeldedContact(): boolean {
    return this.welded;
  }

  /** A technician replaces the switching device: the only way out of a welded-contact error. */
  repairWeldedContact(t: number): void {
    this.welded = false;
    this.clearFault(t, 'acs-hardware-error');
  }

  private finishSessionAbort(t: number, connector: ConnectorId): SignedSession | undefined {
    const signed = this.finishSession(t, connector, 'A');
    if (signed) this.abortedSessions.push(signed);
    return signed;
  }

  /** Sessions the station ended itself (faults, protections) since the last call. */
  takeAbortedSessions(): SignedSession[] {
    return this.abortedSessions.splice(0);
  }

  private readonly abortedSessions: SignedSession[] = [];

  // --- faults -----------------------------------------------------------------------------------

  /**
   * Raises a catalogue fault. Minor faults are reported only; the grid operator's suspension (EnWG)
   * suspends charging; other major and critical faults interrupt every session. The protections end
   * their session themselves and pass `interrupt: false`.
   */
  raiseFault(t: number, id: string, interrupt = true): FaultDefinition {
    const fault = faultById(id);
    if (this.faults.has(fault.id)) return fault;
    this.faults.set(fault.id, { fault, raisedAt: t });
    this.onEvent({ kind: 'fault-raised', fault, at: t });
    if (fault.id.endsWith(':signature-verification-failed')) this.logAt(t, 'MeterDataCorrupt', { udid: this.udid() });
    if (fault.id.endsWith(':eichrecht-meter-mismatch')) this.logAt(t, 'MeterTestFailed');
    if (!interrupt || fault.severity === 'Minor') return fault;
    for (const c of [...this.sessions.keys()]) {
      if (fault.id.endsWith(':enwg-grid-suspend')) this.suspend(t, c);
      else this.finishSessionAbort(t, c);
    }
    return fault;
  }

  clearFault(t: number, id: string): void {
    const fault = faultById(id);
    if (!this.faults.delete(fault.id)) return;
    this.onEvent({ kind: 'fault-cleared', fault, at: t });
  }

  // --- software, meter, cable -------------------------------------------------------------------

  /** Over-the-air update of the legally relevant software. */
  updateFirmware(t: number, newVersion: string, outcome: 'installed' | 'download-failed' | 'install-failed' = 'installed'): void {
    const short = this.identity.lrsHash.slice(0, 10);
    this.logAt(t, 'FirmwareUpdateRequested', { LRSHash: short, LRSVersion: this.identity.lrsVersion, NewLRSVersion: newVersion });
    const downloadedAt = t + 50 * 60_000;
    if (outcome === 'download-failed') {
      this.logAt(downloadedAt, 'FirmwareDownloadFailed', { LRSHash: short, LRSVersion: this.identity.lrsVersion });
      return;
    }
    this.logAt(downloadedAt, 'FirmwareDownloaded', { LRSHash: short, LRSVersion: this.identity.lrsVersion });
    const installedAt = downloadedAt + 38_000;
    if (outcome === 'install-failed') {
      this.logAt(installedAt, 'FirmwareInstallFailed', { LRSHash: short, LRSVersion: this.identity.lrsVersion });
      return;
    }
    const previous = `LRSHash: ${short}, LRSVersion: ${this.identity.lrsVersion}`;
    this.identity.lrsVersion = newVersion;
    this.identity.lrsHash = Buffer.from(this.rng.bytes(32)).toString('hex');
    this.logAt(installedAt, 'FirmwareInstalled', previous);
  }

  /** The cable is changed (socket <-> tethered): the correction parameter changes, logged as MeterReplaced. */
  replaceCable(t: number, cable: CableKind): void {
    const old = CABLE_RESISTANCE_UOHM[this.identity.cable];
    this.identity.cable = cable;
    this.logAt(t, 'MeterReplaced', { update: 'cable', old, new: CABLE_RESISTANCE_UOHM[cable] });
  }

  /**
   * The meter (with its signing module) is replaced: new serial, new key pair, and the pagination
   * counter, which lives in the signing module, starts again.
   */
  replaceMeter(t: number): { oldKey: string; newKey: string } {
    const oldKey = this.key.publicKeySpkiHex;
    const oldSerial = this.identity.meterSerial;
    this.key = StationSigningKey.generate(this.rng.fork(`key-${t}`), this.key.mode);
    this.identity.meterSerial = `${this.rng.digits(6)}B${this.rng.digits(5)}`;
    this.counter = 0;
    this.logAt(t, 'MeterReplaced', { update: 'meter', old: oldSerial, new: this.identity.meterSerial });
    this.logAt(t, 'MeterTestPassed', { udid: this.udid() });
    return { oldKey, newKey: this.key.publicKeySpkiHex };
  }

  /** The signing module signs a payload as given (the simulator uses it to make conflicting datasets). */
  signWithStationKey(payloadText: string): string {
    return signCp800Dataset(payloadText, this.key);
  }

  /** The signing key became unusable: sessions cannot be signed; logged as SigningKeyInvalid. */
  invalidateSigningKey(t: number): void {
    this.logAt(t, 'SigningKeyInvalid');
    this.raiseFault(t, 'signature-verification-failed');
  }

  private udid(): string {
    return Buffer.from(this.identity.meterSerial).toString('base64').slice(0, 10);
  }

  // --- display ----------------------------------------------------------------------------------

  led(): LedStatus {
    if (!this.powered) return LED.outOfService;
    if (this.installing) return LED.selfTest;
    if (this.welded || this.overload.lockedOut || [...this.faults.values()].some((f) => f.fault.severity === 'Critical')) {
      return LED.outOfService;
    }
    const sessions = [...this.sessions.values()];
    if (sessions.some((s) => s.charging && this.currentA(s.request.connector) > 0)) return LED.charging;
    if (sessions.some((s) => s.charging && s.scheduleA !== undefined && s.scheduleA < 6)) return LED.pluggedWaitingForPower;
    if (sessions.length > 0) return LED.chargingDoneOrSuspended;
    return LED.available;
  }
}
