// The signed metrology-log entry of a charging station: its events, the text that is signed, and the
// verifier. Shared by the station simulator (which writes entries) and ingest (which checks them).
export * from './MetrologyLogEvent';
export * from './MetrologyLogEntry';
export * from './metrologyLogSignedText';
export * from './verifyMetrologyLogEntry';
