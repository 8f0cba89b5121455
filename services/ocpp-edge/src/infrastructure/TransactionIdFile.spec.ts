import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionIdFile } from './TransactionIdFile';

describe('TransactionIdFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'txid-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads nothing before the first mark, then the mark last stored, with no temporary file left', () => {
    const f = new TransactionIdFile(join(dir, 'mark'));
    expect(f.read()).toBeUndefined();
    f.reserve(1000);
    f.reserve(2000);
    expect(f.read()).toBe(2000);
    expect(readFileSync(join(dir, 'mark'), 'utf8')).toBe('2000\n');
    expect(readdirSync(dir)).toEqual(['mark']);
  });

  it('refuses a file that does not hold one number, and says what to do', () => {
    writeFileSync(join(dir, 'mark'), '12x\n');
    expect(() => new TransactionIdFile(join(dir, 'mark')).read()).toThrow(/does not hold one decimal number: restore it/);
  });

  it('says so when the mark cannot be written', () => {
    const f = new TransactionIdFile(join(dir, 'missing-dir', 'mark'));
    expect(() => f.reserve(5)).toThrow(/cannot be written \(ENOENT\): no transaction id is handed out/);
  });
});
