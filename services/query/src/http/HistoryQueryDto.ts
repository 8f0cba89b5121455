import { IsIn, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { HISTORY_KINDS, type HistoryKind } from '../reads/recordViews';
import { PageQueryDto } from './PageQueryDto';

export class HistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(HISTORY_KINDS), description: 'only boots (firmware versions), firmware status, security events or log uploads; all when omitted' })
  @IsOptional()
  @IsIn(Object.keys(HISTORY_KINDS))
  kind?: HistoryKind;
}
