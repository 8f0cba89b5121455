export * from './application/IngestPipeline';
export * from './application/reconcileWithManifest';
export * from './application/registerSimulatedKeys';
