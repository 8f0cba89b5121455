/** The three topics ingest consumes. Names come from the service's configuration (IngestConfig). */
export interface Topics {
  datasets: string;
  metrologyLog: string;
  faults: string;
}

/**
 * The default topic names. They are also the patterns IngestController's handlers are registered
 * under: the embedded transport publishes on them, and IngestKafkaServer maps them to the configured
 * topic names.
 */
export const DEFAULT_TOPICS: Readonly<Topics> = { datasets: 'ocmf-datasets', metrologyLog: 'metrology-log', faults: 'station-faults' };

/** Where each message kind is published. */
export function topicFor(kind: string, topics: Topics = DEFAULT_TOPICS): string {
  return kind === 'ocmf-dataset' ? topics.datasets : kind === 'metrology-log-entry' ? topics.metrologyLog : topics.faults;
}
