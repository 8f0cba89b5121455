import { emspIdOfEmaid, parseEmaid } from './emaid';

describe('parseEmaid (ISO 15118-1 / eMI3 and DIN SPEC 91286)', () => {
  it.each([
    ['DE-ABC-C12345678-X', { country: 'DE', provider: 'ABC', instance: 'C12345678', check: 'X', normalized: 'DEABCC12345678X' }],
    ['DEABCC12345678X', { country: 'DE', provider: 'ABC', instance: 'C12345678', check: 'X', normalized: 'DEABCC12345678X' }],
    ['de*abc*c12345678*x', { country: 'DE', provider: 'ABC', instance: 'C12345678', check: 'X', normalized: 'DEABCC12345678X' }],
    ['NL-TNM-000122045', { country: 'NL', provider: 'TNM', instance: '000122045', normalized: 'NLTNM000122045' }],
    ['NL-TNM-012204-5', { country: 'NL', provider: 'TNM', instance: '012204', check: '5', normalized: 'NLTNM0122045' }],
  ])('reads %s', (text, expected) => expect(parseEmaid(text)).toEqual(expected));

  it.each(['DE-ABC-C1234567-X-1', 'D1-ABC-C12345678-X', 'DE-ABC*C12345678-X', 'DE-AB-C12345678-X', '04A1B2C3', 'DE-ABC-C12345678-XY', 'NL-TNM-012204-A'])('refuses %s', (text) =>
    expect(parseEmaid(text)).toBeUndefined(),
  );

  it('names its provider as the eMSP id <country>-<provider>', () => expect(emspIdOfEmaid(parseEmaid('de-abc-c12345678-x')!)).toBe('DE-ABC'));
});
