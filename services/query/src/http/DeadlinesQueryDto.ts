import { IsIn, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

export const DEADLINE_STATES = ['due', 'overdue', 'done'] as const;

export class DeadlinesQueryDto {
  @ApiPropertyOptional({ enum: DEADLINE_STATES }) @IsOptional() @IsIn(DEADLINE_STATES) state?: (typeof DEADLINE_STATES)[number];
}
