import type { Decider } from './Decider';
import { assertIsoTime } from './isoTime';
import type { StationKeyRegistered } from './LedgerEvent';
import { LedgerRuleViolation } from './LedgerRuleViolation';
import { assertStationId } from './StationId';

export type RegisterKey = StationKeyRegistered['data'];

/** The keys a station's key stream holds. */
export interface KeyStreamState {
  readonly keys: RegisterKey[];
}

/**
 * A station's registered keys: a key with its validity is registered once; the same key with another
 * validity is a new registration (the latest wins in the registry); dates must be ISO 8601 and the
 * period must not end before it starts.
 */
export const keyStream: Decider<RegisterKey, StationKeyRegistered, KeyStreamState> = {
  initialState: () => ({ keys: [] }),
  evolve(state, event) {
    const same = state.keys.findIndex((k) => k.publicKey.toLowerCase() === event.data.publicKey.toLowerCase());
    if (same >= 0) state.keys[same] = event.data;
    else state.keys.push(event.data);
    return state;
  },
  decide(command, state) {
    assertStationId(command.stationId);
    if (!/^[0-9a-fA-F]{2,8192}$/.test(command.publicKey)) throw new LedgerRuleViolation('public-key', 'publicKey must be the SPKI DER of the key, in hex');
    assertIsoTime('validFrom', command.validFrom);
    if (command.validTo !== undefined) {
      assertIsoTime('validTo', command.validTo);
      if (Date.parse(command.validTo) < Date.parse(command.validFrom)) throw new LedgerRuleViolation('key-validity', 'validTo lies before validFrom');
    }
    const existing = state.keys.find((k) => k.publicKey.toLowerCase() === command.publicKey.toLowerCase());
    if (existing && existing.validFrom === command.validFrom && existing.validTo === command.validTo) return [];
    const data: RegisterKey = { stationId: command.stationId, publicKey: command.publicKey, validFrom: command.validFrom, registeredAt: command.registeredAt };
    if (command.validTo !== undefined) data.validTo = command.validTo;
    return [{ type: 'StationKeyRegistered', data }];
  },
};
