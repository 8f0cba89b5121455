export * from './application/IngestPipeline';
export * from './application/reconcileWithManifest';
export * from './application/registerSimulatedKeys';
export * from './testing/KafkaPipelineHarness';
