import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { Ledger } from '@metrology-ledger/ledger';
import { OcpiCpoController } from './http/OcpiCpoController';
import { FailedAuthThrottle } from '../auth/FailedAuthThrottle';
import { OCPI_AUTH_THROTTLE, OcpiAuthGuard } from './http/OcpiAuthGuard';
import { OcpiOperatorController } from './http/OcpiOperatorController';
import { ocpiRequestIds } from './http/ocpiRequestIds';
import { OcpiRegistration } from './OcpiRegistration';
import { OcpiTokenReceiver } from './OcpiTokenReceiver';
import { OCPI_SETTINGS, type OcpiSettings } from './OcpiSettings';
import { OCPI_STORE, type OcpiStore } from './store/OcpiStore';

/**
 * OCPI 2.2.1, CPO side, mounted beside the query API (createQueryApp's `modules`): the eMSPs' endpoints
 * under /ocpi/cpo (OCPI tokens) and the operator's under /operator/ocpi (API keys, role operator).
 */
@Module({})
export class OcpiModule implements NestModule {
  static create(deps: { ledger: Ledger; store: OcpiStore; settings: OcpiSettings; registration: OcpiRegistration; throttle?: FailedAuthThrottle }): DynamicModule {
    return {
      module: OcpiModule,
      controllers: [OcpiCpoController, OcpiOperatorController],
      providers: [
        { provide: Ledger, useValue: deps.ledger },
        { provide: OCPI_STORE, useValue: deps.store },
        { provide: OCPI_SETTINGS, useValue: deps.settings },
        { provide: OcpiRegistration, useValue: deps.registration },
        { provide: OcpiTokenReceiver, useValue: new OcpiTokenReceiver(deps.ledger, deps.store) },
        { provide: OCPI_AUTH_THROTTLE, useValue: deps.throttle ?? new FailedAuthThrottle() },
        OcpiAuthGuard,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ocpiRequestIds()).forRoutes(OcpiCpoController);
  }
}
