import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DATASET_FORMATS, type DatasetFormat } from '../export/datasetExportLines';

/** A period [from, to) of ISO 8601 times. */
export class PeriodQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' }) @IsOptional() @IsISO8601() to?: string;
}


export class DatasetsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: DATASET_FORMATS, default: 'ndjson' }) @IsOptional() @IsIn(DATASET_FORMATS) format?: DatasetFormat;
}

export const REPORT_FORMATS = ['html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
}
