import { BadRequestException } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { QueryValidationPipe } from './QueryValidationPipe';

class OptionalQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}

class RequiredQuery {
  @IsString()
  stationId!: string;
}

const pipe = new QueryValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
const query = (metatype: new () => object) => ({ type: 'query' as const, metatype });

describe('QueryValidationPipe', () => {
  it('answers an empty query of a class whose parameters are optional with an instance of the class, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await pipe.transform({}, query(OptionalQuery));
      expect(r).toBeInstanceOf(OptionalQuery);
      expect(r).toEqual(new OptionalQuery());
    }
  });

  it('runs class-validator on an empty query once per class, on every non-empty query each time', async () => {
    const own = new QueryValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    const validate = jest.spyOn(own as unknown as { validate: (...a: unknown[]) => unknown }, 'validate');
    for (let i = 0; i < 3; i++) await own.transform({}, query(OptionalQuery));
    expect(validate).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 2; i++) await own.transform({ limit: '2' }, query(OptionalQuery));
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it('still validates every non-empty query after an empty one passed: unknown and bad parameters refused', async () => {
    await pipe.transform({}, query(OptionalQuery));
    await expect(pipe.transform({ limit: '0' }, query(OptionalQuery))).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ other: 'x' }, query(OptionalQuery))).rejects.toBeInstanceOf(BadRequestException);
    expect(await pipe.transform({ limit: '5' }, query(OptionalQuery))).toEqual(Object.assign(new OptionalQuery(), { limit: 5 }));
  });

  it('refuses an empty query every time when the class requires a parameter', async () => {
    for (let i = 0; i < 3; i++) await expect(pipe.transform({}, query(RequiredQuery))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('validates an empty body like any body (the shortcut is for query parameters only)', async () => {
    for (let i = 0; i < 2; i++) await expect(pipe.transform({}, { type: 'body', metatype: RequiredQuery })).rejects.toBeInstanceOf(BadRequestException);
  });
});
