import { createHash } from 'node:crypto';
import type { Decider } from './Decider';
import { DigestSet } from './DigestSet';
import { contentKey, markProcessed, wasProcessed } from './datasetStream';
import { assertIsoTime } from './isoTime';
import type { StationBootReported, StationHistoryEvent } from './LedgerEvent';
import { LedgerRuleViolation } from './LedgerRuleViolation';
import { assertStationId } from './StationId';

/** A notification to record: the event as the caller has it; the ledger adds `previousFirmwareVersion` to a boot. */
export type RecordStationReport = Exclude<StationHistoryEvent, StationBootReported> | { type: 'StationBootReported'; data: Omit<StationBootReported['data'], 'previousFirmwareVersion'> };

/** Which notifications the stream holds (message id and content), and the firmware version of the last boot that reported one. */
export interface HistoryStreamState {
  readonly processed: DigestSet;
  firmwareVersion: string | undefined;
}

/** The frame's hash from the receipt; without one, the hash of what was reported (the ledger's own addition left out). */
function keyOf(e: RecordStationReport): string {
  const { receipt, ...reported } = e.data as StationBootReported['data'];
  delete reported.previousFirmwareVersion;
  return contentKey(receipt, createHash('sha256').update(JSON.stringify([e.type, reported])).digest('hex'));
}

function requireText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) throw new LedgerRuleViolation('station-report', `${field} must be non-empty text`);
}

/**
 * A station's history as it reported it over OCPP: one event per notification, in the order the
 * ledger received them (the station's clock orders nothing). A notification already held (same
 * message id, same frame) adds nothing. A boot that reports another firmware version than the last
 * boot that reported one carries the version before (`previousFirmwareVersion`), so a firmware change
 * is a fact of the ledger, found without reading the stream again.
 */
export const historyStream: Decider<RecordStationReport, StationHistoryEvent, HistoryStreamState> = {
  initialState: () => ({ processed: new DigestSet(), firmwareVersion: undefined }),
  evolve(state, event) {
    markProcessed(state.processed, event.data.receipt.messageId, keyOf(event));
    if (event.type === 'StationBootReported' && event.data.firmwareVersion !== undefined) state.firmwareVersion = event.data.firmwareVersion;
    return state;
  },
  decide(command, state) {
    assertStationId(command.data.stationId);
    if (command.data.ocppVersion !== '1.6' && command.data.ocppVersion !== '2.0.1') throw new LedgerRuleViolation('station-report', 'ocppVersion must be 1.6 or 2.0.1');
    requireText('action', command.data.action);
    switch (command.type) {
      case 'StationBootReported':
        requireText('vendor', command.data.vendor);
        requireText('model', command.data.model);
        break;
      case 'SecurityEventReported':
        requireText('eventType', command.data.eventType);
        assertIsoTime('timestamp', command.data.timestamp);
        break;
      default:
        requireText('status', command.data.status);
    }
    if (wasProcessed(state.processed, command.data.receipt.messageId, keyOf(command))) return [];
    if (command.type !== 'StationBootReported') return [command];
    const data: StationBootReported['data'] = { ...command.data };
    delete data.previousFirmwareVersion;
    const { firmwareVersion } = data;
    if (firmwareVersion !== undefined && state.firmwareVersion !== undefined && firmwareVersion !== state.firmwareVersion) data.previousFirmwareVersion = state.firmwareVersion;
    return [{ type: 'StationBootReported', data }];
  },
};
