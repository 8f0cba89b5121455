// The public entry of services/ingest: the pipeline, and the Nest module and transports for whoever
// starts it (its own main.ts on Kafka, or tools/pipeline's embedded run).
export * from './application/IngestPipeline';
export * from './infrastructure/EmbeddedTransport';
export * from './infrastructure/IngestController';
export * from './infrastructure/IngestModule';
export * from './infrastructure/Topics';
