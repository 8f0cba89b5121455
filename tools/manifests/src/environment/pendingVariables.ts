/**
 * Variables the manifests set ahead of the service: the service does not read them yet, and the
 * drift check reports them as notes instead of problems until it does (then the note says to remove
 * the entry here). Keep this list short, each entry with its reason.
 *
 * Kafka SCRAM-SHA-512 over TLS: Strimzi's KafkaUsers and their ACLs mean something only if clients
 * authenticate, so the manifests give each service its Kafka user, password and the cluster CA; the
 * services' Kafka clients must read these four variables (TODO: services/ingest, services/ocpp-edge).
 */
const KAFKA_CLIENT_AUTH = {
  KAFKA_SASL_MECHANISM: 'Kafka SCRAM-SHA-512 over TLS (deploy/k8s/README.md, "Settings")',
  KAFKA_SASL_USERNAME: 'Kafka SCRAM-SHA-512 over TLS (deploy/k8s/README.md, "Settings")',
  KAFKA_SASL_PASSWORD: 'Kafka SCRAM-SHA-512 over TLS (deploy/k8s/README.md, "Settings")',
  KAFKA_SSL_CA_FILE: 'Kafka SCRAM-SHA-512 over TLS (deploy/k8s/README.md, "Settings")',
};

export const PENDING_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ingest: KAFKA_CLIENT_AUTH,
  'ocpp-edge': KAFKA_CLIENT_AUTH,
};
