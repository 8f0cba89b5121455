import { emaidEmspOf, resolveOwner, tokenFromIdentification, tokenMismatch } from './sessionOwner';

const ocpp = (uid: string, type: string | null = null) => ({ uid, type, source: 'ocpp' as const });

describe('who owns a session', () => {
  it('takes the signed identification as the token only when IT names an RFID card or a contract id', () => {
    expect(tokenFromIdentification({ status: true, type: 'ISO14443', data: '1F2D3A4F' })).toEqual({ uid: '1F2D3A4F', type: 'ISO14443', source: 'ocmf' });
    expect(tokenFromIdentification({ status: true, type: 'EMAID', data: 'DE-ABC-C12345678-X' })).toMatchObject({ type: 'EMAID' });
    expect(tokenFromIdentification({ status: true, type: 'CENTRAL', data: '12' })).toBeNull();
    expect(tokenFromIdentification({ status: false, type: 'ISO14443', data: null })).toBeNull();
  });

  it('reads the provider of an EMAID typed as one in every form, of an untyped one only where no RFID uid looks like it', () => {
    expect(emaidEmspOf(ocpp('DEABCC12345678', 'eMAID'))).toBe('DE-ABC');
    expect(emaidEmspOf(ocpp('DE-ABC-C12345678-X'))).toBe('DE-ABC');
    expect(emaidEmspOf(ocpp('DEABCC12345678X'))).toBe('DE-ABC');
    expect(emaidEmspOf(ocpp('DEADBEEF012345'))).toBeNull(); // a 7-byte RFID uid in hex
    expect(emaidEmspOf(ocpp('DE-ABC-C12345678-X', 'ISO14443'))).toBeNull();
    expect(emaidEmspOf(null)).toBeNull();
  });

  it('prefers the message, then the registry, then the EMAID; else nobody', () => {
    const emaid = ocpp('DE-ABC-C12345678-X', 'eMAID');
    expect(resolveOwner('DE-MSG', emaid, 'DE-REG')).toEqual({ emspId: 'DE-MSG', emspSource: 'message' });
    expect(resolveOwner(null, emaid, 'DE-REG')).toEqual({ emspId: 'DE-REG', emspSource: 'registry' });
    expect(resolveOwner(null, emaid, null)).toEqual({ emspId: 'DE-ABC', emspSource: 'emaid' });
    expect(resolveOwner(null, ocpp('04A1B2C3'), null)).toEqual({ emspId: null, emspSource: null });
  });

  it('flags an OCPP token that differs from the signed ID, not one written with other case or separators', () => {
    const id = { status: true, type: 'EMAID', data: 'DEABCC12345678X' };
    expect(tokenMismatch(ocpp('de-abc-c12345678-x'), id)).toBeNull();
    expect(tokenMismatch(ocpp('DE-XYZ-C12345678-X'), id)).toBe('the OCPP token "DE-XYZ-C12345678-X" differs from the signed identification ID "DEABCC12345678X" (IT EMAID)');
    expect(tokenMismatch({ uid: 'x', type: 'EMAID', source: 'ocmf' }, id)).toBeNull();
    expect(tokenMismatch(ocpp('04A1'), { status: false, type: 'NONE', data: null })).toBeNull();
  });
});
