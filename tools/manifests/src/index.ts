// Public entry of tools/manifests: the offline validation of deploy/k8s, for CI (main.ts) and tests.
export * from './Problem';
export * from './formatProblem';
export * from './K8sDocument';
export * from './validateManifests';
export * from './render/parseManifests';
export * from './render/renderKustomization';
export * from './schema/CrdSchemaSet';
export * from './schema/findUnknownFields';
export * from './schema/recordFieldReads';
export * from './environment/EnvironmentContract';
export * from './environment/extractEnvironment';
export * from './environment/checkEnvironmentDrift';
