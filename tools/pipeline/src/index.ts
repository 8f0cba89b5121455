export * from './reconcileWithManifest';
