// Runtime helpers every service shares: configuration from the environment and secret files,
// the Prometheus metrics server, the JSON logger. No framework, no domain rule.
export * from './Secret';
export * from './IsWholeNumber';
export * from './configVariablesOf';
export * from './readSecretFiles';
export * from './MetricsServer';
export * from './createServiceLogger';
export * from './kafkaConnection';
export * from './HealthPaths';
export * from './Readiness';
export * from './jsonNestingDepth';
