// The public entry of services/ingest: the pipeline, and the Nest module and transports for whoever
// starts it (its own main.ts on Kafka, or tools/pipeline's embedded run); the environment variables it
// reads, for the deployment manifests' checks.
export * from './application/IngestObserver';
export * from './application/IngestPipeline';
export { INGEST_CONFIG_VARIABLES } from './config/IngestConfig';
export type { ConfigVariable } from '@metrology-ledger/service-runtime';
export * from './infrastructure/EmbeddedTransport';
export * from './infrastructure/IngestController';
export * from './infrastructure/IngestModule';
export * from './infrastructure/Topics';
export * from './infrastructure/VerificationPool';
export * from './application/DatasetVerifier';

/** Where this service answers its probes (the manifest drift check compares the Deployment's probes with it). */
export { HEALTH_PATHS as INGEST_HEALTH_PATHS } from '@metrology-ledger/service-runtime';
