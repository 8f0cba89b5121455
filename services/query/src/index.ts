// The public entry of services/query: the application and its read models for whoever starts them
// (its own main.ts, tools/pipeline's embedded run); the environment variables it reads, for the
// deployment manifests' checks.
export * from './auth/Credential';
export { QUERY_CONFIG_VARIABLES } from './config/QueryConfig';
export type { ConfigVariable } from '@metrology-ledger/service-runtime';
export * from './createQueryApp';
export * from './readmodel/SessionStore';
export * from './readmodel/SessionReadModel';
export * from './readmodel/PostgresSessionStore';
export * from './readmodel/SessionProjector';
export * from './readmodel/rebuildReadModels';
export { composeOcpi, openOcpiStore } from './ocpi/openOcpi';
export { SessionChangeFeed } from './ocpi/push/SessionChangeFeed';
export type { OcpiSettings } from './ocpi/OcpiSettings';
export { SqlOcpiStore } from './ocpi/store/SqlOcpiStore';
export { SqliteRunner } from './ocpi/store/SqliteRunner';
export { ReceiptCapability } from './receipts/ReceiptCapability';

/** Where this service answers its probes (the manifest drift check compares the Deployment's probes with it). */
export { HEALTH_PATHS as QUERY_HEALTH_PATHS } from '@metrology-ledger/service-runtime';
