import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Ledger } from '@metrology-ledger/ledger';
import { CredentialStore } from './auth/Credential';
import { RolesGuard } from './auth/RolesGuard';
import { AuditorController } from './http/AuditorController';
import { EmspController } from './http/EmspController';
import { ComplianceController, OperatorController } from './http/OperatorController';
import { SESSION_STORE, type SessionStore } from './readmodel/SessionStore';
import { VerifyPageController } from './web/VerifyPageController';

@Module({})
export class QueryModule {
  static create(deps: { ledger: Ledger; sessions: SessionStore; credentials: CredentialStore }): DynamicModule {
    return {
      module: QueryModule,
      controllers: [EmspController, AuditorController, OperatorController, ComplianceController, VerifyPageController],
      providers: [
        { provide: Ledger, useValue: deps.ledger },
        { provide: SESSION_STORE, useValue: deps.sessions },
        { provide: CredentialStore, useValue: deps.credentials },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
