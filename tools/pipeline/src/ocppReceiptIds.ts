import type { OcppFrameSent } from '@metrology-ledger/cp800-model';

/**
 * Ledger receipt id → simulator message id, for a fleet run over OCPP: ingest files the n-th signed
 * value of a frame under `<identity>:<OCPP message id>#<n>`, and the simulator's stations put one
 * dataset in each frame that carries one. A frame sent again (same id and text) maps the same.
 */
export function ocppReceiptIds(frames: Iterable<OcppFrameSent>): Map<string, string> {
  const ids = new Map<string, string>();
  for (const f of frames) if (f.carries !== undefined) ids.set(`${f.identity}:${f.ocppMessageId}#0`, f.carries);
  return ids;
}
