import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '../auth/RolesGuard';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { SessionsQueryDto } from './SessionsQueryDto';

export class AllSessionsQueryDto extends SessionsQueryDto {
  @ApiPropertyOptional({ enum: ['none'], description: 'none: only sessions no eMSP owns yet (token unknown)' }) @IsOptional() @IsIn(['none']) owner?: 'none';
}

/**
 * Every session, whoever owns it: operators and auditors see the sessions whose token no eMSP has
 * registered (`owner=none`), with the token, where the owner comes from and any token mismatch.
 */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator', 'auditor')
@Controller('sessions')
export class OwnershipController {
  constructor(@Inject(SESSION_STORE) private readonly sessions: SessionStore) {}

  /** Sessions page by page, in insertion order. Source: read model. */
  @Get()
  async list(@Query() q: AllSessionsQueryDto) {
    const page = await this.sessions.page({ owner: q.owner, stationId: q.stationId, from: q.from, to: q.to, cursor: q.cursor, limit: q.limit ?? 100 });
    return { items: page.items.map(({ ocmf: _ocmf, conflictingOcmf: _c, ...rest }) => rest), nextCursor: page.nextCursor };
  }
}
