// Public entry of services/ocpp-edge: the Kafka record the edge writes (for ingest and tests), the
// frame classification, the stations file, the settings (EDGE_CONFIG_VARIABLES for the manifests'
// drift check), and the service itself for tests and tools.
export * from './domain/OcppFrameRecord';
export * from './domain/OcppVersion';
export * from './domain/SecurityProfile';
export * from './domain/classifyCall';
export * from './domain/PasswordHash';
export * from './domain/StationRegistry';
export * from './config/EdgeConfig';
export * from './config/loadEdgeConfig';
export * from './infrastructure/createEdgeApp';
export { EdgeMetrics } from './metrics/EdgeMetrics';
export { Readiness } from '@metrology-ledger/service-runtime';

/** Where this service answers its probes (the manifest drift check compares the Deployment's probes with it). */
export { HEALTH_PATHS as EDGE_HEALTH_PATHS } from '@metrology-ledger/service-runtime';
