import { HandshakeRefusal } from '../domain/HandshakeRefusal';
import { PasswordHash } from '../domain/PasswordHash';
import type { SecurityProfile } from '../domain/SecurityProfile';
import type { StationEntry } from '../domain/StationRegistry';
import { authenticateStation, type HandshakeFacts, type StationAdmission } from './authenticateStation';

const CHEAP = { N: 1024, r: 8, p: 1 };
let stations: Map<string, StationEntry>;
const lookup = async (id: string) => stations.get(id);
const policy = (...p: SecurityProfile[]) => ({ profiles: new Set(p) });
const cert = (cn: string | undefined, authorized = true, authorizationError?: string) => ({ authorized, sha256: 'c'.repeat(64), ...(cn !== undefined ? { subjectCN: cn } : {}), ...(authorizationError ? { authorizationError } : {}) });

beforeAll(async () => {
  stations = new Map<string, StationEntry>([
    ['CP-1', { identity: 'CP-1', password: await PasswordHash.create('right-password-01', CHEAP) }],
    ['CP-3', { identity: 'CP-3' }],
  ]);
});

async function refusal(facts: HandshakeFacts, p = policy(2, 3)): Promise<HandshakeRefusal> {
  const r = await authenticateStation(facts, p, lookup);
  if (!(r instanceof HandshakeRefusal)) throw new Error(`admitted: ${JSON.stringify(r)}`);
  return r;
}

describe('authenticateStation', () => {
  it('admits profile 2: TLS and the right password; the subprotocols in the edge’s order', async () => {
    const r = (await authenticateStation({ identity: 'CP-1', offeredSubprotocols: ['ocpp1.6', 'ocpp2.0.1'], password: Buffer.from('right-password-01'), tls: {} }, policy(2), lookup)) as StationAdmission;
    expect(r).toMatchObject({ identity: 'CP-1', subprotocols: ['ocpp2.0.1', 'ocpp1.6'], securityProfile: 2 });
    expect(r.clientCertSha256).toBeUndefined();
  });

  it('admits profile 3: a certificate from the operator CA naming the identity, with its fingerprint', async () => {
    const r = (await authenticateStation({ identity: 'CP-3', offeredSubprotocols: ['ocpp2.0.1'], tls: { clientCertificate: cert('CP-3') } }, policy(3), lookup)) as StationAdmission;
    expect(r).toMatchObject({ identity: 'CP-3', subprotocols: ['ocpp2.0.1'], securityProfile: 3, clientCertSha256: 'c'.repeat(64) });
  });

  it('admits profile 1 only where it is allowed', async () => {
    const facts = { identity: 'CP-1', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('right-password-01') };
    expect(await authenticateStation(facts, policy(1), lookup)).toMatchObject({ securityProfile: 1 });
    expect((await refusal(facts)).code).toBe('profile-not-allowed');
  });

  it.each<[string, HandshakeFacts, SecurityProfile[], string, number, RegExp]>([
    ['an identity that is no station id', { identity: 'CP 1/x', offeredSubprotocols: ['ocpp1.6'], tls: {} }, [2], 'bad-identity', 400, /^identity "CP 1\/x" is not a station id/],
    ['a wrong subprotocol', { identity: 'CP-1', offeredSubprotocols: ['ocpp1.5', 'ocpp2.1'], tls: {} }, [2], 'no-subprotocol', 400, /offers the subprotocol\(s\) "ocpp1.5, ocpp2.1"; the edge speaks ocpp2.0.1 and ocpp1.6/],
    ['no subprotocol', { identity: 'CP-1', offeredSubprotocols: [], tls: {} }, [2], 'no-subprotocol', 400, /offers no subprotocol/],
    ['an unknown identity', { identity: 'CP-9', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('x'), tls: {} }, [2], 'unknown-identity', 401, /station "CP-9" is not in the stations file/],
    ['a wrong password', { identity: 'CP-1', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('wrong-password-01'), tls: {} }, [2], 'wrong-password', 401, /does not match/],
    ['no password', { identity: 'CP-1', offeredSubprotocols: ['ocpp1.6'], tls: {} }, [2], 'no-password', 401, /sent no basic-auth password/],
    ['a password for a certificate-only station', { identity: 'CP-3', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('x'), tls: {} }, [2, 3], 'no-password', 401, /can only connect with a client certificate/],
    ['no certificate where only profile 3 is accepted', { identity: 'CP-1', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('right-password-01'), tls: {} }, [3], 'no-certificate', 401, /presented no client certificate/],
    ['a certificate from another CA', { identity: 'CP-3', offeredSubprotocols: ['ocpp1.6'], tls: { clientCertificate: cert('CP-3', false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') } }, [3], 'certificate-invalid', 401, /"UNABLE_TO_VERIFY_LEAF_SIGNATURE"/],
    ['a certificate for another identity', { identity: 'CP-3', offeredSubprotocols: ['ocpp1.6'], tls: { clientCertificate: cert('CP-1') } }, [3], 'certificate-identity', 401, /subject CN is "CP-1"; the CN must equal the identity/],
    ['a certificate without CN', { identity: 'CP-3', offeredSubprotocols: ['ocpp1.6'], tls: { clientCertificate: cert(undefined) } }, [3], 'certificate-identity', 401, /subject CN is missing/],
  ])('refuses %s', async (_name, facts, profiles, code, status, reason) => {
    const r = await refusal(facts, policy(...profiles));
    expect([r.code, r.httpStatus]).toEqual([code, status]);
    expect(r.reason).toMatch(reason);
  });

  it('never trades a bad certificate for a password', async () => {
    const r = await refusal({ identity: 'CP-1', offeredSubprotocols: ['ocpp1.6'], password: Buffer.from('right-password-01'), tls: { clientCertificate: cert('CP-1', false, 'CERT_HAS_EXPIRED') } }, policy(2, 3));
    expect(r.code).toBe('certificate-invalid');
  });

  it('quotes and bounds what came from outside', async () => {
    const r = await refusal({ identity: 'X'.repeat(500), offeredSubprotocols: ['ocpp1.6'], tls: {} });
    expect(r.reason.length).toBeLessThan(250);
    expect(r.reason).toContain('…(500 characters)');
  });
});
