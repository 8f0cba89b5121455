import type { Decider } from './Decider';
import { assertIsoTime } from './isoTime';
import type { StationCommissioningRecorded } from './LedgerEvent';
import { LedgerRuleViolation } from './LedgerRuleViolation';
import { assertStationId } from './StationId';

export type RecordCommissioning = StationCommissioningRecorded['data'];

const OPTIONAL_TIMES = ['decommissionedAt', 'authorityNotifiedAt', 'bnetzaNotifiedAt', 'bnetzaDecommissionNotifiedAt'] as const;

/** The latest commissioning record of a station, if any. */
export interface StationStreamState {
  latest: RecordCommissioning | undefined;
}

/**
 * The operator's commissioning record. Every field is checked before anything is stored (a bad record
 * stored once would be read forever); the event holds only the known fields, so nothing a caller adds
 * (another station id, say) can slip in.
 */
export const stationStream: Decider<RecordCommissioning, StationCommissioningRecorded, StationStreamState> = {
  initialState: () => ({ latest: undefined }),
  evolve: (state, event) => ({ latest: event.data }),
  decide(command) {
    assertStationId(command.stationId);
    assertIsoTime('commissionedAt', command.commissionedAt);
    const data: RecordCommissioning = { stationId: command.stationId, commissionedAt: command.commissionedAt, recordedAt: command.recordedAt };
    for (const field of OPTIONAL_TIMES) {
      const value = command[field];
      if (value === undefined) continue;
      assertIsoTime(field, value);
      data[field] = value;
    }
    if (data.decommissionedAt && Date.parse(data.decommissionedAt) < Date.parse(data.commissionedAt)) {
      throw new LedgerRuleViolation('commissioning-order', 'decommissionedAt lies before commissionedAt');
    }
    return [{ type: 'StationCommissioningRecorded', data }];
  },
};
