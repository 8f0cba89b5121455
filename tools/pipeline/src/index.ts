export * from './reconcileWithManifest';
export * from './ocppReceiptIds';
export { KafkaPipelineHarness, builtEntry, freePort, parsePrometheusText, sumOf, type HarnessPlacement, type Series, type ServiceStartOptions } from './KafkaPipelineHarness';
