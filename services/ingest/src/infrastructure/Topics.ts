/** The topics ingest consumes. Names come from the service's configuration (IngestConfig). */
export interface Topics {
  datasets: string;
  metrologyLog: string;
  faults: string;
  /** Raw OCPP-J frames from services/ocpp-edge (`ocpp-frame` records). */
  ocppFrames: string;
}

/**
 * The default topic names. They are also the patterns IngestController's handlers are registered
 * under: the embedded transport publishes on them, and IngestKafkaServer maps them to the configured
 * topic names.
 */
export const DEFAULT_TOPICS: Readonly<Topics> = { datasets: 'ocmf-datasets', metrologyLog: 'metrology-log', faults: 'station-faults', ocppFrames: 'ocpp-frames' };

/** Where each message kind is published. */
export function topicFor(kind: string, topics: Topics = DEFAULT_TOPICS): string {
  if (kind === 'ocmf-dataset') return topics.datasets;
  if (kind === 'metrology-log-entry') return topics.metrologyLog;
  if (kind === 'ocpp-frame') return topics.ocppFrames;
  return topics.faults;
}
