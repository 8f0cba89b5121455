import { SeededRandom } from '../SeededRandom';
import { DeliveryArena } from './DeliveryArena';
import type { EncodedDeliveries } from './EncodedDeliveries';
import type { StationIdentity } from '../station/StationIdentity';
import type { SigningMode } from '../station/StationSigningKey';
import type { FaultSpec } from './FaultSpec';
import type { SimulationManifest } from './SimulationManifest';
import type { SimulationMessage } from './SimulationMessage';
import { StationAgent, type Timed } from './StationAgent';

const DAY = 24 * 3_600_000;

export interface SimulationOptions {
  /** Size of the fleet. */
  stations: number;
  /** The part of the fleet this simulator runs, [from, to) by station index (default: all). Splitting
   * the fleet between workers changes nothing in the output: each station has its own random stream. */
  range?: [number, number];
  days: number;
  seed: number;
  /** First simulated day, ms (UTC midnight). */
  start: number;
  faults: FaultSpec;
  signing?: SigningMode;
}

/**
 * The history of a CP800 fleet, day by day: each station lives its day, then that day's messages are
 * released in delivery order. Messages delayed past the day wait for their day. Memory stays bounded
 * by one day of the fleet plus the delayed messages.
 */
export class FleetSimulator {
  readonly manifest: SimulationManifest;
  private readonly agents: StationAgent[] = [];
  private pending: Timed[] = [];
  /** Set once `dayEncoded` is used: the agents then write their messages straight into it. */
  private arena: DeliveryArena | undefined;
  private daysRun = 0;

  constructor(readonly options: SimulationOptions) {
    this.manifest = {
      seed: options.seed,
      stations: options.stations,
      days: options.days,
      start: new Date(options.start).toISOString(),
      faults: options.faults,
      signing: options.signing ?? 'openssl',
      counts: { datasets: 0, deliveredDatasetMessages: 0, logEntries: 0, faultMessages: 0, messages: 0 },
      registry: [],
      expected: { gaps: [], duplicates: [], conflicts: [], rejections: [], lateArrivals: [] },
      injected: [],
    };
    const root = new SeededRandom(options.seed);
    const [from, to] = options.range ?? [0, options.stations];
    for (let i = from; i < to; i++) {
      const agent = new StationAgent(i, root.fork(i), options.start, options.days, options.faults, this.manifest, options.signing ?? 'openssl');
      this.agents.push(agent);
      this.manifest.registry.push(agent.registry);
    }
  }

  /** The identity of a station of this simulator's part of the fleet (what it tells a CSMS at boot). */
  identityOf(stationId: string): StationIdentity | undefined {
    return this.agents.find((a) => a.stationId === stationId)?.station.identity;
  }

  /**
   * Yields each day's deliveries, sorted by delivery time (ties by station and message id, so the
   * order is reproducible). After the last day, everything still pending is released.
   * `onStation` reports progress (stations done within the day).
   */
  *days(onStation?: (day: number, stationIndex: number) => void): Generator<SimulationMessage[]> {
    for (let d = 0; d < this.options.days; d++) yield this.day(d, onStation).map((m) => m.message);
  }

  /** Simulates day `d` (days must be asked in order) and returns its deliveries with their times. */
  day(d: number, onStation?: (day: number, stationIndex: number) => void): Timed[] {
    if (this.arena) throw new Error('this simulator already delivers encoded days (dayEncoded)');
    this.daysRun++;
    const dayStart = this.options.start + d * DAY;
    const dayEnd = dayStart + DAY;
    for (const [i, agent] of this.agents.entries()) {
      for (const m of agent.simulateDay(dayStart)) this.pending.push(m);
      onStation?.(d, i);
    }
    return this.release(d === this.options.days - 1 ? Infinity : dayEnd);
  }

  /**
   * Simulates day `d` (days must be asked in order) and returns its deliveries as JSON lines in
   * delivery order: the same lines, in the same order, as `encodeDeliveries(day(d))`, with far less
   * garbage. A simulator gives either encoded days or message objects, from its first day on.
   */
  dayEncoded(d: number, onStation?: (day: number, stationIndex: number) => void): EncodedDeliveries {
    if (!this.arena) {
      if (this.daysRun > 0) throw new Error('this simulator already delivers message objects (day)');
      const arena = new DeliveryArena();
      for (const agent of this.agents) agent.deliverTo((sentAtMs, message) => arena.add(sentAtMs, message));
      this.arena = arena;
    }
    this.daysRun++;
    const dayStart = this.options.start + d * DAY;
    for (const [i, agent] of this.agents.entries()) {
      agent.simulateDay(dayStart);
      onStation?.(d, i);
    }
    const released = this.arena.release(d === this.options.days - 1 ? Infinity : dayStart + DAY);
    this.manifest.counts.messages += released.times.length;
    return released;
  }

  /** Hands back the buffer of a day from `dayEncoded` once it is written, so the next day can use it. */
  recycle(buffer: ArrayBuffer): void {
    this.arena?.recycle(buffer);
  }

  private release(until: number): Timed[] {
    const now: Timed[] = [];
    const later: Timed[] = [];
    for (const m of this.pending) (m.sentAtMs < until ? now : later).push(m);
    this.pending = later;
    now.sort(compareDeliveries);
    this.manifest.counts.messages += now.length;
    return now;
  }
}

/**
 * Delivery order: time, then message id (which starts with the fixed-width station id), so the order
 * is total and the same however the fleet is split.
 */
export function compareDeliveries(a: { sentAtMs: number; message: { messageId: string } }, b: { sentAtMs: number; message: { messageId: string } }): number {
  return a.sentAtMs - b.sentAtMs || (a.message.messageId < b.message.messageId ? -1 : a.message.messageId > b.message.messageId ? 1 : 0);
}
