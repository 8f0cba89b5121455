import type { StationKeyRegistered } from './LedgerEvent';

export type RegisteredStationKey = StationKeyRegistered['data'];

/**
 * The keys the operator registered for each station (as registered with the Bundesnetzagentur), with
 * their validity periods. A key replacement (new meter) adds a key with a new period; old keys stay,
 * because late datasets signed with them must still verify.
 */
export class StationKeyRegistry {
  private readonly byStation = new Map<string, RegisteredStationKey[]>();

  apply(e: StationKeyRegistered): void {
    const keys = this.byStation.get(e.data.stationId) ?? [];
    const same = keys.findIndex((k) => k.publicKey.toLowerCase() === e.data.publicKey.toLowerCase());
    if (same >= 0) keys[same] = e.data;
    else keys.push(e.data);
    keys.sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1)); // newest first
    this.byStation.set(e.data.stationId, keys);
  }

  /** Keys to try for a station's dataset, newest first. */
  keysOf(stationId: string): RegisteredStationKey[] {
    return this.byStation.get(stationId) ?? [];
  }

  knows(stationId: string): boolean {
    return this.byStation.has(stationId);
  }

  stations(): string[] {
    return [...this.byStation.keys()].sort();
  }
}
