import { IsIn, IsOptional, Matches } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { CALENDAR_TIME_RULE, IsCalendarTime } from './calendarTime';
import { DATASET_FORMATS, type DatasetFormat } from '../export/datasetExportLines';

/** A period [from, to) of existing ISO 8601 calendar dates or date-times (`2025-W01`, `2025-02-30` → 400). */
export class PeriodQueryDto {
  @ApiPropertyOptional({ description: `inclusive: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() from?: string;
  @ApiPropertyOptional({ description: `exclusive: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() to?: string;
}


export class DatasetsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: DATASET_FORMATS, default: 'ndjson' }) @IsOptional() @IsIn(DATASET_FORMATS) format?: DatasetFormat;
}

export const REPORT_FORMATS = ['html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
}

export class BundleQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ description: 'tree size of a checkpoint you hold: the bundle then carries the RFC 9162 consistency proof from it' })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,14})$/, { message: 'after must be the tree size of an earlier checkpoint (a whole number)' })
  after?: string;
}

export class CheckpointQueryDto {
  @ApiPropertyOptional({ description: 'tree size of an older checkpoint: the answer carries the RFC 9162 consistency proof from it' })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,14})$/, { message: 'from must be the tree size of an earlier checkpoint (a whole number)' })
  from?: string;
}
