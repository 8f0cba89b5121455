import { IsOptional, IsString, Matches } from 'class-validator';

/** A page of the credits list: `after` is the `nextCursor` of the previous page. */
export class CreditsQueryDto {
  @IsOptional() @IsString() @Matches(/^[1-9]\d{0,14}$/, { message: 'after must be a cursor this list gave' }) after?: string;
  @IsOptional() @IsString() @Matches(/^([1-9]\d{0,2}|500)$/, { message: 'limit must be 1-500' }) limit?: string;
}
