// The entry format lives in libs/metrology-log (shared with ingest, which must not depend on the
// simulator); the station model writes entries in that format.
export {
  METROLOGY_LOG_ALGORITHM,
  METROLOGY_LOG_EVENTS,
  isMetrologyLogEvent,
  metrologyLogSignedText,
  verifyMetrologyLogEntry,
  type MetrologyLogEntry,
  type MetrologyLogEvent,
  type MetrologyLogFields,
  type MetrologyLogMetadata,
  type MetrologyLogVerification,
  type SignedMetrologyLogEntry,
} from '@metrology-ledger/metrology-log';
