import { projectDataset } from '../../domain/projectSession';
import { SignedTestStation } from '../../testing/SignedTestStation';
import { buildCdr } from './buildCdr';
import type { Cdr } from './Cdr';
import { creditCdrOf, creditIdOf, CREDIT_REASONS } from './creditCdr';

const station = new SignedTestStation('CP-1');
const location = { locationId: 'L1', address: 'a', city: 'c', country: 'DEU', latitude: '50.00000', longitude: '6.00000', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' } as const;
const parties = { cpo: { countryCode: 'DE', partyId: 'CPO', currency: 'EUR' }, emsp: { countryCode: 'DE', partyId: 'EMP' } };

function original(): Cdr {
  const s = projectDataset({ type: 'DatasetRecorded', data: station.dataset('1') } as never, 'stream-1', '2025-06-01T11:00:02Z').view;
  const d = buildCdr(s, location, parties, new Date('2026-03-01T00:00:00Z'));
  if (!d.ok) throw new Error(d.message);
  return d.cdr;
}

describe('creditCdrOf', () => {
  it('given a delivered CDR, then the credit has its own id referring to it, the same data, total_cost negated and a new last_updated', () => {
    const cdr = original();
    const credit = creditCdrOf(cdr, 'a second packet', new Date('2026-03-02T00:00:00Z'));
    expect(credit.id).toBe(creditIdOf(cdr.id));
    expect(credit.id).not.toBe(cdr.id);
    expect(credit.id.length).toBeLessThanOrEqual(36);
    expect(credit).toMatchObject({ credit: true, credit_reference_id: cdr.id, last_updated: '2026-03-02T00:00:00.000Z', remark: `credit of CDR ${cdr.id}: a second packet` });
    const { id: _a, credit: _b, credit_reference_id: _c, remark: _d, last_updated: _e, ...rest } = credit;
    const { id: _f, remark: _g, last_updated: _h, ...same } = cdr;
    expect(rest).toEqual(same);
    expect(JSON.stringify(credit.total_cost)).toBe('{"excl_vat":0}');
  });

  it('negates an amount that is not zero', () => {
    const cdr = { ...original(), total_cost: { excl_vat: 12.5 } };
    expect(creditCdrOf(cdr, 'x', new Date()).total_cost).toEqual({ excl_vat: -12.5 });
  });

  it('credits for the facts that can arrive after a CDR, and not for a missing location', () => {
    expect([...CREDIT_REASONS].sort()).toEqual(['conflict', 'invalid', 'token-mismatch']);
    expect(CREDIT_REASONS).not.toContain('no-location');
  });
});
