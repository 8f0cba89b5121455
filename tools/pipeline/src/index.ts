export * from './reconcileWithManifest';
export * from './ocppReceiptIds';
