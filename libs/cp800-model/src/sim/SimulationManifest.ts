import type { FaultSpec } from './FaultSpec';

/** A station key as the operator registers it: valid from commissioning or meter replacement. */
export interface RegisteredKey {
  publicKey: string;
  validFrom: string;
  validTo?: string;
}

export interface ManifestStation {
  stationId: string;
  serial: string;
  connectors: number[];
  cable: 'socket' | 'tethered';
  keys: RegisteredKey[];
  /** Datasets the station signed, per key (publicKey -> highest counter). */
  lastCounterByKey: Record<string, number>;
}

export interface InjectedFault {
  kind: keyof FaultSpec | 'welded' | 'overload' | 'dcLeakage' | 'ventilation';
  stationId: string;
  /** For dataset faults: the key and counter concerned. */
  publicKey?: string;
  counter?: number;
  at: string;
  detail?: string;
}

/**
 * Ground truth of a run: what a correct ledger must end up with. `expected` is what the ledger's
 * final state must equal; `injected` lists every injected fault, in order.
 */
export interface SimulationManifest {
  seed: number;
  stations: number;
  days: number;
  start: string;
  faults: FaultSpec;
  signing: string;
  counts: { datasets: number; deliveredDatasetMessages: number; logEntries: number; faultMessages: number; messages: number };
  registry: ManifestStation[];
  expected: {
    /** Counters that never arrive validly (dropped or tampered): gaps that stay open. */
    gaps: { stationId: string; publicKey: string; counter: number }[];
    duplicates: { stationId: string; publicKey: string; counter: number }[];
    conflicts: { stationId: string; publicKey: string; counter: number }[];
    rejections: { stationId: string; counter: number; reason: 'tampered' | 'wrong-key' }[];
    /** Delivered late or out of order: a gap may open, and must close. */
    lateArrivals: { stationId: string; publicKey: string; counter: number; kind: 'delay' | 'reorder' }[];
  };
  injected: InjectedFault[];
}
