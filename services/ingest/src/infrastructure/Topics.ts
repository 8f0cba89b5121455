/** Topic names, from the environment so tests and deployments can use their own. */
export const TOPICS = {
  datasets: process.env.KAFKA_TOPIC_DATASETS ?? 'ocmf-datasets',
  metrologyLog: process.env.KAFKA_TOPIC_METROLOGY_LOG ?? 'metrology-log',
  faults: process.env.KAFKA_TOPIC_FAULTS ?? 'station-faults',
};

/** Where each message kind is published. */
export function topicFor(kind: string): string {
  return kind === 'ocmf-dataset' ? TOPICS.datasets : kind === 'metrology-log-entry' ? TOPICS.metrologyLog : TOPICS.faults;
}
