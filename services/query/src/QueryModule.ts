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
import { ReceiptController } from './http/ReceiptController';
import { ReceiptCapability } from './receipts/ReceiptCapability';
import { OperatorController } from './http/OperatorController';
import { OwnershipController } from './http/OwnershipController';
import { AuditorTokenController, EmspTokenController, OperatorTokenController } from './http/TokenControllers';
import { SESSION_STORE, type SessionStore } from './readmodel/SessionStore';
import { VerifyPageController } from './web/VerifyPageController';

@Module({})
export class QueryModule {
  static create(deps: { ledger: Ledger; sessions: SessionStore; authenticator: Authenticator; receipts?: ReceiptCapability; imports?: DynamicModule[] }): DynamicModule {
    return {
      module: QueryModule,
      imports: deps.imports ?? [],
      controllers: [EmspController, InvoiceCheckController, ReceiptController, AuditorController, AuditorExportController, OperatorController, ComplianceController, VerifyPageController, OperatorTokenController, EmspTokenController, AuditorTokenController, OwnershipController],
      providers: [
        { provide: Ledger, useValue: deps.ledger },
        { provide: SESSION_STORE, useValue: deps.sessions },
        { provide: Authenticator, useValue: deps.authenticator },
        { provide: ReceiptCapability, useValue: deps.receipts ?? new ReceiptCapability() },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
