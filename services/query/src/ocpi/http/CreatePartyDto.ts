import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { EMSP_ID_PATTERN, EMSP_ID_RULE } from '../../auth/Credential';

/** An eMSP the operator connects over OCPI: the eMSP id of its sessions, and the OCPI party its credentials must name. */
export class CreatePartyDto {
  @IsString() @Matches(EMSP_ID_PATTERN, { message: EMSP_ID_RULE }) emspId!: string;
  @IsString() @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166 alpha-2 code in capitals (DE)' }) countryCode!: string;
  @IsString() @Matches(/^[A-Z0-9]{3}$/, { message: 'partyId must be 3 capital letters or digits (ISO 15118)' }) partyId!: string;
  @IsString() @Matches(/^[^\0]{1,100}$/, { message: 'name must be 1-100 characters' }) name!: string;
}

/** An eMSP a hub relays: the eMSP id of its sessions and its OCPI party (bound as for an eMSP connected directly). */
export class RelayedPartyDto {
  @IsString() @Matches(EMSP_ID_PATTERN, { message: EMSP_ID_RULE }) emspId!: string;
  @IsString() @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166 alpha-2 code in capitals (DE)' }) countryCode!: string;
  @IsString() @Matches(/^[A-Z0-9]{3}$/, { message: 'partyId must be 3 capital letters or digits (ISO 15118)' }) partyId!: string;
}

/** A roaming hub the operator connects (role HUB), with the eMSPs it relays: the hub may push tokens for them and receives their CDRs. */
export class CreateHubDto {
  @IsString() @Matches(EMSP_ID_PATTERN, { message: `hubId: ${EMSP_ID_RULE}` }) hubId!: string;
  @IsString() @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166 alpha-2 code in capitals (DE)' }) countryCode!: string;
  @IsString() @Matches(/^[A-Z0-9]{3}$/, { message: 'partyId must be 3 capital letters or digits (ISO 15118)' }) partyId!: string;
  @IsString() @Matches(/^[^\0]{1,100}$/, { message: 'name must be 1-100 characters' }) name!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => RelayedPartyDto) relays!: RelayedPartyDto[];
}

export class WithheldQueryDto {
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'after must be a cursor this list gave' }) after?: string;
  @IsOptional() @IsString() @Matches(/^([1-9]\d{0,2}|500)$/, { message: 'limit must be 1-500' }) limit?: string;
}
