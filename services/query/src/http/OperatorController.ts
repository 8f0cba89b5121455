import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { decodePublicKey } from '@metrology-ledger/ocmf';
import { BadRequestException } from '@nestjs/common';
import { Ledger, STREAM_PREFIX, StreamId } from '@metrology-ledger/ledger';
import { complianceDeadlines, type Deadline } from '../domain/complianceDeadlines';
import { complianceStatus } from '../domain/complianceStatus';
import { Roles } from '../auth/RolesGuard';
import { assertStationId } from './assertStationId';

export class RegisterKeyDto {
  @ApiProperty({ description: 'SPKI DER, hex' }) @IsString() @MaxLength(4096) @Matches(/^[0-9a-fA-F]+$/) publicKey!: string;
  @ApiProperty() @IsISO8601() validFrom!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() validTo?: string;
}

export class CommissioningDto {
  @ApiProperty() @IsISO8601() commissionedAt!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() decommissionedAt?: string;
  @ApiPropertyOptional({ description: 'competent calibration authority notified' }) @IsOptional() @IsISO8601() authorityNotifiedAt?: string;
  @ApiPropertyOptional({ description: 'Bundesnetzagentur notified of commissioning' }) @IsOptional() @IsISO8601() bnetzaNotifiedAt?: string;
  @ApiPropertyOptional({ description: 'Bundesnetzagentur notified of decommissioning' }) @IsOptional() @IsISO8601() bnetzaDecommissionNotifiedAt?: string;
}

/** The operator registers station keys (as registered with the Bundesnetzagentur). */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator')
@Controller('operator/stations/:stationId')
export class OperatorController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  @Post('keys')
  @HttpCode(201)
  async registerKey(@Param('stationId') stationId: string, @Body() body: RegisterKeyDto) {
    assertStationId(stationId);
    const key = decodePublicKey(body.publicKey);
    if (!key.ok) throw new BadRequestException(`publicKey: ${key.reason}`);
    const added = await this.ledger.registerKey({ stationId, publicKey: body.publicKey.toLowerCase(), validFrom: body.validFrom, ...(body.validTo ? { validTo: body.validTo } : {}) });
    return { stationId, registered: added, curve: key.key.curve?.name };
  }

  @Put('commissioning')
  async commissioning(@Param('stationId') stationId: string, @Body() body: CommissioningDto) {
    assertStationId(stationId);
    await this.ledger.recordCommissioning({ stationId, ...body });
    return { stationId, deadlines: complianceDeadlines({ stationId, ...body }, new Date()) };
  }
}

/** What is due or overdue, and which stations must be out of service. Operators and auditors read it. */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator', 'auditor')
@Controller('compliance')
export class ComplianceController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  @Get('deadlines')
  async deadlines(@Query('state') state?: string) {
    if (state !== undefined && !['due', 'overdue', 'done'].includes(state)) throw new BadRequestException('state: due, overdue or done');
    const now = new Date();
    const out: Deadline[] = [];
    for (const streamId of await this.ledger.store.streams(STREAM_PREFIX.station)) {
      const events = await this.ledger.events(streamId);
      const last = events[events.length - 1];
      if (last?.type === 'StationCommissioningRecorded') out.push(...complianceDeadlines(last.data, now));
    }
    return out.filter((d) => state === undefined || d.state === state).sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1));
  }

  @Get('stations/:stationId')
  async station(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    const faults = (await this.ledger.events(StreamId.faults(stationId))).flatMap((e) => (e.type === 'StationFaultReported' ? [e.data] : []));
    return complianceStatus(stationId, faults);
  }
}
