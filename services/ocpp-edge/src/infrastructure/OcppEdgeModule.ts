import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { EDGE_LOGGER, type EdgeLogger } from '../application/EdgeLogger';
import { EdgeStats } from '../application/EdgeStats';
import { FRAME_PUBLISHER, type FramePublisher } from '../application/FramePublisher';
import { EDGE_CONFIG, type EdgeConfig } from '../config/EdgeConfig';
import { Readiness } from '@metrology-ledger/service-runtime';
import { EdgeMetrics } from '../metrics/EdgeMetrics';
import { KafkaFramePublisher } from './KafkaFramePublisher';
import { OcppEdgeServer } from './OcppEdgeServer';
import { StationRegistryFile } from './StationRegistryFile';

/** Replacements: a publisher other than Kafka, a logger that records (tests); the metrics and readiness
 * the service serves (main.ts makes them before the application, so the probes answer from the start). */
export interface EdgeOverrides {
  publisher?: FramePublisher;
  logger?: EdgeLogger;
  metrics?: EdgeMetrics;
  readiness?: Readiness;
}

/** The edge's providers. Shutdown order (Nest): the server closes the stations first
 * (beforeApplicationShutdown), then the publisher flushes Kafka (onApplicationShutdown). */
@Module({})
export class OcppEdgeModule {
  static forConfig(config: EdgeConfig, overrides: EdgeOverrides = {}): DynamicModule {
    const publisher: Provider = overrides.publisher ? { provide: FRAME_PUBLISHER, useValue: overrides.publisher } : { provide: FRAME_PUBLISHER, useExisting: KafkaFramePublisher };
    return {
      module: OcppEdgeModule,
      providers: [
        { provide: EDGE_CONFIG, useValue: config },
        { provide: EDGE_LOGGER, useValue: overrides.logger ?? new Logger('ocpp-edge') },
        { provide: EdgeStats, useValue: new EdgeStats() },
        { provide: EdgeMetrics, useValue: overrides.metrics ?? new EdgeMetrics({ processMetrics: false }) },
        { provide: Readiness, useValue: overrides.readiness ?? new Readiness() },
        ...(overrides.publisher ? [] : [KafkaFramePublisher]),
        publisher,
        StationRegistryFile,
        OcppEdgeServer,
      ],
    };
  }
}
