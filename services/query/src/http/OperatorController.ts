import { BadRequestException, Body, Controller, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { decodePublicKey } from '@metrology-ledger/ocmf';
import { Ledger } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';
import { complianceDeadlines } from '../domain/complianceDeadlines';
import { readCommissioning } from '../domain/readCommissioning';
import { assertStationId } from './assertStationId';
import { CommissioningDto } from './CommissioningDto';
import { RegisterKeyDto } from './RegisterKeyDto';

/**
 * The operator's writes: station keys (as registered with the Bundesnetzagentur) and commissioning
 * records. The station is always the one in the path; the ledger checks every rule before it stores
 * anything, and a broken rule is answered 400 with the rule and what to change (LedgerRuleViolation).
 */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator')
@Controller('operator/stations/:stationId')
export class OperatorController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  /** Registers a station key with its validity. Writes through the ledger API (`registerKey`). */
  @Post('keys')
  @HttpCode(201)
  async registerKey(@Param('stationId') stationId: string, @Body() body: RegisterKeyDto) {
    assertStationId(stationId);
    const key = decodePublicKey(body.publicKey);
    if (!key.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `publicKey: ${key.reason}` });
    const added = await this.ledger.registerKey({ stationId, publicKey: body.publicKey.toLowerCase(), validFrom: body.validFrom, ...(body.validTo ? { validTo: body.validTo } : {}) });
    return { stationId, registered: added, curve: key.key.curve?.name };
  }

  /** Records commissioning data and notifications, and answers the deadlines. Writes through the ledger API (`recordCommissioning`). */
  @Put('commissioning')
  async commissioning(@Param('stationId') stationId: string, @Body() body: CommissioningDto) {
    assertStationId(stationId);
    const fields = {
      commissionedAt: body.commissionedAt,
      ...(body.decommissionedAt !== undefined ? { decommissionedAt: body.decommissionedAt } : {}),
      ...(body.authorityNotifiedAt !== undefined ? { authorityNotifiedAt: body.authorityNotifiedAt } : {}),
      ...(body.bnetzaNotifiedAt !== undefined ? { bnetzaNotifiedAt: body.bnetzaNotifiedAt } : {}),
      ...(body.bnetzaDecommissionNotifiedAt !== undefined ? { bnetzaDecommissionNotifiedAt: body.bnetzaDecommissionNotifiedAt } : {}),
    };
    const [recorded] = await this.ledger.recordCommissioning(stationId, fields);
    const read = readCommissioning(stationId, recorded?.data);
    return { stationId, deadlines: read.ok ? complianceDeadlines(read.record, new Date()) : [] };
  }
}
