import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TOKEN_CHARS, TOKEN_TYPES } from '@metrology-ledger/ledger';
import { EMSP_ID_PATTERN, EMSP_ID_RULE } from '../auth/Credential';
import { MAX_PAGE_SIZE } from './SessionsQueryDto';

const TOKEN_TEXT = /^[\x21-\x7e]+$/;
const TOKEN_RULE = `1-${MAX_TOKEN_CHARS} printable characters without spaces (OCPI 2.2.1)`;

/** An eMSP's own token (OCPI 2.2.1 Tokens: `type`, `contract_id`); the uid is the path's, the eMSP the caller's key's. */
export class EmspTokenDto {
  @ApiProperty({ enum: TOKEN_TYPES, description: 'OCPI 2.2.1 TokenType' }) @IsIn(TOKEN_TYPES) type!: (typeof TOKEN_TYPES)[number];
  @ApiPropertyOptional({ description: `the contract id (an EMAID such as DE-ABC-C12345678-X): ${TOKEN_RULE}` })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TOKEN_CHARS)
  @Matches(TOKEN_TEXT, { message: `contractId: ${TOKEN_RULE}` })
  contractId?: string;
}

/** The operator registers a token for any eMSP: the eMSP id of QUERY_API_KEYS' `emsp:<id>`. */
export class OperatorTokenDto extends EmspTokenDto {
  @ApiProperty({ description: `the eMSP that owns the token: ${EMSP_ID_RULE}` }) @IsString() @Matches(EMSP_ID_PATTERN, { message: `emspId: ${EMSP_ID_RULE}` }) emspId!: string;
}

/** `?cursor=<nextCursor>&limit=<1..500>` over the token registry. */
export class TokenListQueryDto {
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page; omit for the first page' }) @IsOptional() @IsString() @MaxLength(100) cursor?: string;
  @ApiPropertyOptional({ maximum: MAX_PAGE_SIZE, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}
