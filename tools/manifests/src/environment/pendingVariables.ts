/**
 * Variables the manifests set ahead of the service: the service does not read them yet, and the
 * drift check reports them as notes instead of problems until it does (then the note says to remove
 * the entry here). Keep this list short, each entry with its reason.
 *
 * Empty now: services/ingest and services/ocpp-edge read the Kafka SCRAM-SHA-512 over TLS variables
 * (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL_CA_FILE) that were
 * listed here.
 */
export const PENDING_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {};
