import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import type { KafkaPipelineHarness } from '../KafkaPipelineHarness';
import { TestCertificates } from './TestCertificates';

// Tests only: what an end-to-end test needs to put OCPP stations in front of the built edge.

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
  const tls = new TestCertificates(dir);
  let registry = StationRegistry.empty();
  for (const [identity, password] of Object.entries(passwords)) registry = registry.with({ identity, password: await PasswordHash.create(password, { N: 1024, r: 8, p: 1 }) });
  const stationsFile = join(dir, 'stations.json');
  writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
  const edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '2', EDGE_STATIONS_FILE: stationsFile, EDGE_TLS_CERT: tls.certFile, EDGE_TLS_KEY: tls.keyFile, EDGE_INSTANCE_ID: instance });
  return { url: `wss://localhost:${edge.port}`, ca: tls.ca };
}
