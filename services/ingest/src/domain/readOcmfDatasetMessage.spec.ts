import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OcmfDatasetMessageDto } from './IngestMessages';
import { readOcmfDatasetMessage } from './readOcmfDatasetMessage';

const valid = { kind: 'ocmf-dataset', messageId: 'm-1', stationId: 'CP-0001', ocmf: 'OCMF|{}|{}' };
const keepsContract = (json: unknown) => validateSync(plainToInstance(OcmfDatasetMessageDto, json)).length === 0;

/** One field changed (undefined: removed) at a time, over values each rule has to tell apart. */
const variants: [string, unknown][] = [
  ['kind', 'metrology-log-entry'],
  ['kind', undefined],
  ['messageId', ''],
  ['messageId', 7],
  ['messageId', 'x'.repeat(200)],
  ['messageId', 'x'.repeat(201)],
  ['messageId', '😀'.repeat(150)],
  ['messageId', undefined],
  ['stationId', 'cp 1'],
  ['stationId', ''],
  ['stationId', 42],
  ['stationId', undefined],
  ['ocmf', ''],
  ['ocmf', { a: 1 }],
  ['ocmf', 'x'.repeat(256 * 1024 + 1)],
  ['connector', 0],
  ['connector', 2],
  ['connector', -1],
  ['connector', 1.5],
  ['connector', '1'],
  ['connector', null],
  ['transactionId', 'T-1'],
  ['transactionId', 'x'.repeat(101)],
  ['transactionId', 5],
  ['transactionId', null],
  ['emspId', 'DE-ABC'],
  ['emspId', 'x'.repeat(100)],
  ['emspId', ['DE-ABC']],
  ['sentAt', '2025-01-01T00:00:00Z'],
  ['sentAt', '2025-13-01T00:00:00Z'],
  ['sentAt', 'yesterday'],
  ['sentAt', 1735689600000],
  ['sentAt', null],
  ['extra', 'kept'],
];

describe('readOcmfDatasetMessage', () => {
  it('reads a message that keeps the contract, fields as given', () => {
    const json = { ...valid, connector: 1, transactionId: 'T-9', emspId: 'DE-XYZ', sentAt: '2025-01-01T00:00:00.000Z' };
    expect(keepsContract(json)).toBe(true);
    expect(readOcmfDatasetMessage(json)).toEqual(json);
  });

  it.each(variants)('never passes what class-validator refuses, and passes the usual messages: %s = %p', (field, value) => {
    const json: Record<string, unknown> = { ...valid };
    if (value === undefined) delete json[field];
    else json[field] = value;
    const read = readOcmfDatasetMessage(json);
    if (read !== undefined) expect(keepsContract(json)).toBe(true);
    if (!keepsContract(json)) expect(read).toBeUndefined();
  });

  it('passes exactly what class-validator passes for the variants above (none left to it needlessly but the character count)', () => {
    const differing = variants.filter(([field, value]) => {
      const json: Record<string, unknown> = { ...valid };
      if (value === undefined) delete json[field];
      else json[field] = value;
      return (readOcmfDatasetMessage(json) !== undefined) !== keepsContract(json);
    });
    // 150 emoji are 300 UTF-16 code units but 150 characters: left to class-validator, which accepts them.
    expect(differing).toEqual([['messageId', '😀'.repeat(150)]]);
  });

  it.each([null, 'text', 3, [valid]])('is undefined for a value that is no message object: %p', (json) => {
    expect(readOcmfDatasetMessage(json)).toBeUndefined();
  });
});
