import { isObject, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';
import { scalingOf } from './scalingOf';

/** The topics ingest consumes: its KAFKA_TOPIC_* settings, or the service's defaults. */
const INGEST_TOPICS: Array<{ variable: string; fallback: string }> = [
  { variable: 'KAFKA_TOPIC_DATASETS', fallback: 'ocmf-datasets' },
  { variable: 'KAFKA_TOPIC_METROLOGY_LOG', fallback: 'metrology-log' },
  { variable: 'KAFKA_TOPIC_FAULTS', fallback: 'station-faults' },
];

/**
 * The partitions of each Kafka topic the documents define (Strimzi KafkaTopic, named by spec.topicName
 * or its own name); undefined for a topic whose KafkaTopic sets no spec.partitions.
 */
export function topicPartitions(documents: K8sDocument[]): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  for (const d of documents) {
    if (d.kind !== 'KafkaTopic' || !d.apiVersion.startsWith('kafka.strimzi.io/')) continue;
    const spec = isObject(d.spec) ? d.spec : {};
    const name = typeof spec.topicName === 'string' ? spec.topicName : d.metadata.name;
    if (name) out.set(name, typeof spec.partitions === 'number' ? spec.partitions : undefined);
  }
  return out;
}

/**
 * ingest's autoscaler never goes above the partitions of any topic it consumes: a consumer beyond the
 * partition count gets no partition of that topic and sits idle while the lag that scaled it persists.
 */
export function checkIngestScaling(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  const partitions = topicPartitions(documents);
  for (const w of podWorkloads(documents)) {
    const ingest = w.containers.find((c) => [...(c.command ?? []), ...(c.args ?? [])].some((a) => /services\/ingest\/dist\/main\.js$/.test(a)));
    if (!ingest) continue;
    const scaler = scalingOf(documents, w.doc);
    const max = scaler ? scaler.max : (w.replicas ?? 1);
    const scalerName = scaler ? `${scaler.kind} ${scaler.doc.metadata.name}` : `${w.resource} spec.replicas`;
    for (const t of INGEST_TOPICS) {
      const topic = ingest.env?.find((e) => e.name === t.variable)?.value ?? t.fallback;
      const count = partitions.get(topic);
      if (!partitions.has(topic)) {
        problems.push({ code: 'scaling-above-partitions', target, resource: w.resource, message: `ingest consumes topic "${topic}" (${t.variable}) but no KafkaTopic here defines it, so its partitions are unknown: define it with its partitions fixed up front` });
      } else if (count === undefined) {
        problems.push({ code: 'scaling-above-partitions', target, resource: `KafkaTopic ${topic}`, path: 'spec.partitions', message: `ingest consumes this topic but its KafkaTopic sets no spec.partitions (the broker's default would apply): fix the partitions up front` });
      } else if (max > count) {
        problems.push({
          code: 'scaling-above-partitions',
          target,
          resource: scaler ? `${scaler.kind} ${scaler.doc.metadata.namespace ?? ''}/${scaler.doc.metadata.name}` : w.resource,
          path: scaler?.kind === 'ScaledObject' ? 'spec.maxReplicaCount' : scaler ? 'spec.maxReplicas' : 'spec.replicas',
          message: `${scalerName} allows ${max} ingest replicas but topic "${topic}" has ${count} partitions: at most ${count}, or consumers sit idle`,
        });
      }
    }
  }
  return problems;
}
