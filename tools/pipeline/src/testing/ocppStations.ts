import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { signOcmf } from '@metrology-ledger/ocmf';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import type { KafkaPipelineHarness } from '../KafkaPipelineHarness';
import { TestCertificates } from './TestCertificates';

// What the end-to-end tests over OCPP share: a signing meter, a station, the built edge in front of them.

/** A meter's P-384 key and the datasets it signs. */
export class Meter {
  readonly privateKey: KeyObject;
  readonly publicKey: string;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
  }

  dataset(counter: number, energy: number): string {
    const payload = JSON.stringify({
      FV: '1.0', GI: 'CP800', PG: `T${counter}`, MV: 'Test Meter', MM: 'TM1', MS: 'TM-0001', IS: true, IT: 'ISO14443', ID: '04A1B2C3',
      RD: [
        { TX: 'B', TM: '2025-06-03T07:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: 1.5, ST: 'G' },
        { TX: 'E', TM: '2025-06-03T08:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: energy, ST: 'G' },
      ],
    });
    return signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp384r1-SHA256' });
  }
}

/** An ocpp-rpc client as a station, keeping the text of every frame it sends. */
export function station(url: string, identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', password: string, ca: string): { client: RPCClient; sent: string[] } {
  const client = new RPCClient({ endpoint: url, identity, protocols: [protocol], password, reconnect: false, strictMode: true, callTimeoutMs: 20_000, wsOpts: { ca, minVersion: 'TLSv1.2' } } as never);
  const sent: string[] = [];
  client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
    if (outbound) sent.push(String(message));
  });
  return { client, sent };
}

/**
 * The built edge in standalone mode under security profile 2 (TLS with its own CA, a password per
 * station), its stations file and certificate in `dir`; resolves with its URL and the CA to trust.
 */
export async function startStandaloneEdge(h: KafkaPipelineHarness, dir: string, passwords: Record<string, string>, instance = 'edge-e2e'): Promise<{ url: string; ca: string }> {
  const tls = new TestCertificates(dir);
  let registry = StationRegistry.empty();
  for (const [identity, password] of Object.entries(passwords)) registry = registry.with({ identity, password: await PasswordHash.create(password, { N: 1024, r: 8, p: 1 }) });
  const stationsFile = join(dir, 'stations.json');
  writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
  const edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '2', EDGE_STATIONS_FILE: stationsFile, EDGE_TLS_CERT: tls.certFile, EDGE_TLS_KEY: tls.keyFile, EDGE_INSTANCE_ID: instance });
  return { url: `wss://localhost:${edge.port}`, ca: tls.ca };
}
