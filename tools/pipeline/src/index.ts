export * from './reconcileWithManifest';
export * from './registerSimulatedKeys';
