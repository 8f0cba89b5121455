import { FleetSimulator, type SimulationOptions } from '../sim/FleetSimulator';
import { mergeManifests } from '../sim/ManifestMerge';
import type { SimulationManifest } from '../sim/SimulationManifest';
import type { SimulationMessage } from '../sim/SimulationMessage';
import type { OcppVersion } from './ocppPayloads';
import type { OcppLinkOptions } from './OcppStationLink';
import { OcppSimStation, type OcppFrameSent } from './OcppSimStation';

/** A station's credentials: a password (profiles 1, 2) or a client certificate and key (profile 3). */
export type StationCredentials = { password: string } | { certificate: { cert: string; key: string } };

export interface OcppFleetOptions {
  simulation: SimulationOptions;
  url: string;
  version: OcppVersion;
  /** The credentials of each station; throws (a reason) when a station has none. */
  credentialsOf: (stationId: string) => StationCredentials;
  ca?: string;
  /** Stations sending at the same time (each sends its own messages in order). */
  concurrency: number;
  onFrame?: (frame: OcppFrameSent) => void;
  onDay?: (day: number, framesSoFar: number) => void | Promise<void>;
  /** Link settings for tests (time-outs, back-off). */
  link?: Pick<OcppLinkOptions, 'callTimeoutMs' | 'backoff' | 'maxSends' | 'maxConnectAttempts'>;
}

/**
 * The fleet simulator over OCPP: each day is simulated, then each station sends that day's messages,
 * in the simulator's delivery order, over its own connection (opened at its first message, kept to the
 * end), at most `concurrency` stations at a time. The manifest is the simulator's: the delivery faults
 * are applied before the messages become OCPP frames. The first failure (a refused handshake, a
 * CALLERROR a station does not retry) stops the run and is thrown.
 */
export async function runFleetOverOcpp(options: OcppFleetOptions): Promise<SimulationManifest> {
  const sim = new FleetSimulator(options.simulation);
  const stations = new Map<string, OcppSimStation>();
  let frames = 0;
  const onFrame = (f: OcppFrameSent) => {
    frames++;
    options.onFrame?.(f);
  };
  const stationOf = (stationId: string): OcppSimStation => {
    let s = stations.get(stationId);
    if (!s) {
      const identity = sim.identityOf(stationId);
      if (!identity) throw new Error(`${stationId} is not a station of this simulation`);
      s = new OcppSimStation(identity, options.version, { url: options.url, version: options.version, ca: options.ca, ...options.credentialsOf(stationId), ...options.link }, onFrame);
      stations.set(stationId, s);
    }
    return s;
  };
  try {
    for (let d = 0; d < options.simulation.days; d++) {
      const byStation = new Map<string, SimulationMessage[]>();
      for (const { message } of sim.day(d)) {
        const list = byStation.get(message.stationId);
        if (list) list.push(message);
        else byStation.set(message.stationId, [message]);
      }
      await inPool([...byStation], options.concurrency, async ([stationId, messages]) => {
        const station = stationOf(stationId);
        for (const m of messages) await station.deliver(m);
      });
      await options.onDay?.(d, frames);
    }
  } finally {
    await Promise.all([...stations.values()].map((s) => s.close()));
  }
  return mergeManifests([sim.manifest]);
}

/** Runs `work` over `items`, at most `limit` at once; the first failure stops taking new items and is thrown. */
async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const runner = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, runner));
  if (failure !== undefined) throw failure;
}
