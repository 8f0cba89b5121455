import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import type { KafkaPipelineHarness } from './KafkaPipelineHarness';

// Tests only: what an end-to-end test needs to put OCPP stations in front of the built edge.

/** A CA and a server certificate for 127.0.0.1 from the machine's openssl, in a temporary directory. */
export function makeServerCertificate(dir: string): { ca: string; certFile: string; keyFile: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const f = (name: string) => join(dir, name);
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('ca.key')]);
  run(['req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=E2E Operator CA', '-days', '2', '-out', f('ca.crt'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('server.key')]);
  run(['req', '-new', '-key', f('server.key'), '-subj', '/CN=localhost', '-out', f('server.csr')]);
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', f('server.ext'), '-out', f('server.crt')]);
  return { ca: readFileSync(f('ca.crt'), 'utf8'), certFile: f('server.crt'), keyFile: f('server.key') };
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
 * The built edge in standalone mode over TLS with security profile 2, for the stations and
 * passwords given (a stations file and server certificate written to `dir`); resolves with its
 * WebSocket URL and the CA the stations trust.
 */
export async function startStandaloneEdge(h: KafkaPipelineHarness, dir: string, passwords: Record<string, string>, instance: string): Promise<{ url: string; ca: string }> {
  const tls = makeServerCertificate(dir);
  let registry = StationRegistry.empty();
  for (const [identity, password] of Object.entries(passwords)) registry = registry.with({ identity, password: await PasswordHash.create(password, { N: 1024, r: 8, p: 1 }) });
  const stationsFile = join(dir, 'stations.json');
  writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
  const edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '2', EDGE_STATIONS_FILE: stationsFile, EDGE_TLS_CERT: tls.certFile, EDGE_TLS_KEY: tls.keyFile, EDGE_INSTANCE_ID: instance });
  return { url: `wss://localhost:${edge.port}`, ca: tls.ca };
}
