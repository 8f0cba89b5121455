import { DecimalText } from './DecimalText';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from './SessionsQueryDto';

/** `?after=<nextCursor of the previous page>&limit=<1..500>` for every paged list read from the ledger. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page; omit for the first page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'after: pass the nextCursor of the previous page unchanged' })
  after?: string;

  @ApiPropertyOptional({ maximum: MAX_PAGE_SIZE, default: 100 }) @IsOptional() @DecimalText() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}
