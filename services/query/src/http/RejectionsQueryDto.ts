import { IsIn, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from './PageQueryDto';

export class RejectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', description: 'false: an excerpt, the size and the SHA-256 of each raw message instead of the message' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRaw?: 'true' | 'false';
}
