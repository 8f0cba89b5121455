import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { decodePublicKey } from '@metrology-ledger/ocmf';
import { BadRequestException } from '@nestjs/common';
import { Ledger } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';

export class RegisterKeyDto {
  @ApiProperty({ description: 'SPKI DER, hex' }) @IsString() @MaxLength(4096) @Matches(/^[0-9a-fA-F]+$/) publicKey!: string;
  @ApiProperty() @IsISO8601() validFrom!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() validTo?: string;
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
    if (!/^[\w.:*-]{1,100}$/.test(stationId)) throw new BadRequestException('stationId: 1-100 characters of letters, digits, . : * _ -');
    const key = decodePublicKey(body.publicKey);
    if (!key.ok) throw new BadRequestException(`publicKey: ${key.reason}`);
    const added = await this.ledger.registerKey({ stationId, publicKey: body.publicKey.toLowerCase(), validFrom: body.validFrom, ...(body.validTo ? { validTo: body.validTo } : {}) });
    return { stationId, registered: added, curve: key.key.curve?.name };
  }
}
