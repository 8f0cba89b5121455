import { parseOcmf } from '../parseOcmf';
import { checkSession } from './checkSession';

function session(readings: object[], extra: object = {}) {
  const r = parseOcmf(`OCMF|${JSON.stringify({ PG: 'T1', MS: 'x', RD: readings, ...extra })}|{"SD":"00"}`);
  if (!r.ok) throw new Error(r.error.reason);
  return checkSession(r.dataset.payload);
}
const rd = (TX: string, RV: number, more: object = {}) => ({ TX, RV, TM: '2025-01-01T10:00:00,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', ST: 'G', ...more });

describe('checkSession', () => {
  it('gives delivered energy as exact end - begin with the cable-loss column', () => {
    const s = session([rd('B', 0.2596, { CL: 0 }), rd('C', 0.25965), rd('E', 0.2597, { CL: 0.00001 })]);
    expect(s.shape).toBe('complete');
    expect(s.energy).toMatchObject({ delivered: { text: '0.0001' }, cumulatedLossEnd: { text: '0.00001' }, unit: 'kWh' });
  });

  it.each(['L', 'R', 'A', 'P'])('accepts %s as an end reading', (end) => {
    expect(session([rd('B', 1), rd(end, 2)]).shape).toBe('complete');
  });

  it.each([
    [['E', 'B'], /begin reading is RD\[1\]/],
    [['B', 'B', 'E'], /2 begin readings/],
    [['B', 'E', 'C'], /end reading is RD\[1\]/],
    [['B', 'E', 'E'], /2 end readings/],
  ])('reports readings out of order %j', (types, problem) => {
    const s = session(types.map((t, i) => rd(t, i)));
    expect(s.shape).toBe('disordered');
    expect(s.orderProblems.join(' ')).toMatch(problem);
    expect(s.energy).toBeUndefined();
  });

  it('reports EF energy and time errors and withholds energy on an energy error', () => {
    const s = session([rd('B', 1, { EF: 't' }), rd('E', 2, { EF: 'E' })]);
    expect(s.flags.map((f) => f.kind)).toEqual(['time-error', 'energy-error']);
    expect(s.energy).toBeUndefined();
    expect(s.energyWithheld).toMatch(/energy error/);
  });

  it('withholds energy after an exception reading and for a meter state other than G', () => {
    expect(session([rd('B', 1), rd('X', 2), rd('E', 3)]).energyWithheld).toMatch(/exception/);
    expect(session([rd('B', 1), rd('E', 3, { ST: 'M' })]).energyWithheld).toMatch(/meter state M/);
  });

  it('names single-reading datasets and unsynchronised clocks', () => {
    expect(session([rd('B', 1)]).shape).toBe('begin-only');
    expect(session([rd('E', 1)]).shape).toBe('end-only');
    expect(session([rd('B', 1, { TM: '2025-01-01T10:00:00,000+0000 U' })]).flags[0].kind).toBe('time-not-synchronized');
  });

  it('withholds energy when begin and end are different quantities or units', () => {
    expect(session([rd('B', 1), rd('E', 2, { RU: 'Wh' })]).energyWithheld).toMatch(/units differ/);
  });
});

describe('checkSession with values the model cannot hold', () => {
  const raw = (rvBegin: string, rvEnd: string) => {
    const r = parseOcmf(
      `OCMF|{"PG":"T1","MS":"x","RD":[{"TX":"B","RV":${rvBegin},"TM":"2025-01-01T10:00:00,000+0000 S","RU":"kWh","RI":"1-b:1.8.0","ST":"G"},` +
        `{"TX":"E","RV":${rvEnd},"TM":"2025-01-01T11:00:00,000+0000 S","RU":"kWh","RI":"1-b:1.8.0","ST":"G"}]}|{"SD":"00"}`,
    );
    if (!r.ok) throw new Error(r.error.reason);
    return checkSession(r.dataset.payload);
  };

  it('withholds the energy with the reason when RV overflows a double (1e400), instead of throwing', () => {
    const s = raw('1', '1e400');
    expect(s.energy).toBeUndefined();
    expect(s.energyWithheld).toMatch(/^RD\[1\]: RV "1e400" cannot be used: .*OCMF Tab\. 7/);
  });

  it('withholds the energy for a 400-digit value and an absurd exponent', () => {
    expect(raw('9'.repeat(400), '1').energyWithheld).toMatch(/^RD\[0\]: RV .* 400 significant digits/);
    expect(raw('1', `1e${'9'.repeat(10_000)}`).energyWithheld).toMatch(/^RD\[1\]: RV .* exponent has 10000 digits/);
  });

  it('subtracts exactly beyond the precision of a double', () => {
    const s = raw('123456789012345678901234567890.123', '123456789012345678901234567891.123');
    expect(s.energy?.delivered.text).toBe('1');
    expect(raw('10000000000000000.2', '10000000000000000.1').energyWithheld).toBe('end reading is below the begin reading');
  });

  it('refuses a hand-built value that is not an exact decimal with a reason, never an exception', () => {
    const r = parseOcmf(`OCMF|{"PG":"T1","MS":"x","RD":[${[0, 1].map((i) => `{"TX":"${i ? 'E' : 'B'}","RV":1,"TM":"2025-01-01T10:00:00,000+0000 S","RU":"kWh","RI":"x","ST":"G"}`).join(',')}]}|{"SD":"00"}`);
    if (!r.ok) throw new Error(r.error.reason);
    r.dataset.payload.readings[1].value = { value: Infinity, text: 'Infinity' };
    expect(() => checkSession(r.dataset.payload)).not.toThrow();
    expect(checkSession(r.dataset.payload).energyWithheld).toMatch(/not an exact decimal/);
  });
});
