import { Body, Controller, Delete, Get, Inject, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ledger, type TokenRegistrant } from '@metrology-ledger/ledger';
import type { Principal } from '../auth/Credential';
import { Roles } from '../auth/RolesGuard';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { EmspTokenDto, OperatorTokenDto, TokenListQueryDto } from './TokenDto';

/**
 * Writes one token through the ledger API (`registerToken`), which checks every rule before it
 * stores anything: uid and contract id of 1-36 printable characters, OCPI TokenType, an eMSP for
 * itself only, not a token another eMSP holds (409 `token-owned`).
 */
async function register(ledger: Ledger, uid: string, body: EmspTokenDto, emspId: string, by: TokenRegistrant) {
  const events = await ledger.registerToken({ uid, tokenType: body.type, emspId, registeredBy: by, ...(body.contractId !== undefined ? { contractId: body.contractId } : {}) });
  return { uid, emspId, type: body.type, contractId: body.contractId ?? null, registered: events.length > 0 };
}

/** Withdraws through the ledger API (`withdrawToken`); a token the caller does not hold is 404 `token-unknown`. */
async function withdraw(ledger: Ledger, uid: string, by: TokenRegistrant) {
  const [event] = await ledger.withdrawToken({ uid, by });
  return { uid: event.data.uid, emspId: event.data.emspId, withdrawn: true };
}

const pageOf = (sessions: SessionStore, q: TokenListQueryDto, emspId?: string) => sessions.tokens({ emspId, cursor: q.cursor, limit: q.limit ?? 100 });

/**
 * The operator's token registry (the OCPI Tokens module is the model): tokens of any eMSP. A session
 * whose token is registered belongs to that eMSP from the read model's next refresh (QUERY_REFRESH_MS).
 */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator')
@Controller('operator/tokens')
export class OperatorTokenController {
  constructor(
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  /** Registers (or moves) a token for the eMSP in the body. Source: ledger API, `registerToken`. */
  @Put(':uid')
  put(@Param('uid') uid: string, @Body() body: OperatorTokenDto) {
    return register(this.ledger, uid, body, body.emspId, 'operator');
  }

  /** Withdraws a token, whoever holds it. Source: ledger API, `withdrawToken`. */
  @Delete(':uid')
  remove(@Param('uid') uid: string) {
    return withdraw(this.ledger, uid, 'operator');
  }

  /** Every token, registered or withdrawn, in registration order. Source: read model. */
  @Get()
  list(@Query() q: TokenListQueryDto) {
    return pageOf(this.sessions, q);
  }
}

/** An eMSP's own tokens: registered and withdrawn by itself only; its id comes from its key. */
@ApiTags('eMSP')
@ApiBearerAuth()
@Roles('emsp')
@Controller('emsp/tokens')
export class EmspTokenController {
  constructor(
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  /** Registers an own token (409 `token-owned` when another eMSP holds it). Source: ledger API, `registerToken`. */
  @Put(':uid')
  put(@Param('uid') uid: string, @Body() body: EmspTokenDto, @Req() req: { principal: Principal }) {
    const emspId = req.principal.emspId!;
    return register(this.ledger, uid, body, emspId, `emsp:${emspId}`);
  }

  /** Withdraws an own token (404 `token-unknown` for any other). Source: ledger API, `withdrawToken`. */
  @Delete(':uid')
  remove(@Param('uid') uid: string, @Req() req: { principal: Principal }) {
    return withdraw(this.ledger, uid, `emsp:${req.principal.emspId!}`);
  }

  /** The eMSP's registered tokens. Source: read model. */
  @Get()
  list(@Query() q: TokenListQueryDto, @Req() req: { principal: Principal }) {
    return pageOf(this.sessions, q, req.principal.emspId!);
  }
}

/** The auditor reads the registry, never writes it. */
@ApiTags('auditor')
@ApiBearerAuth()
@Roles('auditor')
@Controller('auditor/tokens')
export class AuditorTokenController {
  constructor(@Inject(SESSION_STORE) private readonly sessions: SessionStore) {}

  /** Every token, registered or withdrawn, in registration order. Source: read model. */
  @Get()
  list(@Query() q: TokenListQueryDto) {
    return pageOf(this.sessions, q);
  }
}
