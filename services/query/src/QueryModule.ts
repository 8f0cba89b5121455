import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Ledger } from '@metrology-ledger/ledger';
import { Authenticator } from './auth/Authenticator';
import { RolesGuard } from './auth/RolesGuard';
import { AuditorController } from './http/AuditorController';
import { AuditorExportController } from './http/AuditorExportController';
import { ComplianceController } from './http/ComplianceController';
import { EmspController } from './http/EmspController';
import { InvoiceCheckController } from './http/InvoiceCheckController';
import { OperatorController } from './http/OperatorController';
import { SESSION_STORE, type SessionStore } from './readmodel/SessionStore';
import { VerifyPageController } from './web/VerifyPageController';

@Module({})
export class QueryModule {
  static create(deps: { ledger: Ledger; sessions: SessionStore; authenticator: Authenticator; imports?: DynamicModule[] }): DynamicModule {
    return {
      module: QueryModule,
      imports: deps.imports ?? [],
      controllers: [EmspController, InvoiceCheckController, AuditorController, AuditorExportController, OperatorController, ComplianceController, VerifyPageController],
      providers: [
        { provide: Ledger, useValue: deps.ledger },
        { provide: SESSION_STORE, useValue: deps.sessions },
        { provide: Authenticator, useValue: deps.authenticator },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
