import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeConfig } from '../config/EdgeConfig';
import { PasswordHash, type ScryptParameters } from '../domain/PasswordHash';
import { StationRegistry } from '../domain/StationRegistry';
import type { TestPki } from './TestPki';

/** Cheap scrypt for tests (the service's default is N = 2^14). */
export const TEST_SCRYPT: ScryptParameters = { N: 1024, r: 8, p: 1 };

/** Writes a stations file into `dir`: identity → password (or null for certificate only). */
export async function writeStationsFile(dir: string, stations: Record<string, string | null>, upstreamPasswords: Record<string, string> = {}): Promise<string> {
  let registry = StationRegistry.empty();
  for (const [identity, password] of Object.entries(stations)) {
    registry = registry.with({
      identity,
      ...(password !== null ? { password: await PasswordHash.create(password, TEST_SCRYPT) } : {}),
      ...(upstreamPasswords[identity] ? { upstreamPassword: upstreamPasswords[identity] } : {}),
    });
  }
  const file = join(dir, `stations-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, registry.toFileText(), { mode: 0o600 });
  return file;
}

/** A config for an edge on 127.0.0.1 and a free port, over TLS from `pki` (profiles 2 and 3). */
export function testEdgeConfig(pki: TestPki, stationsFile: string, overrides: Partial<EdgeConfig> = {}): EdgeConfig {
  return {
    mode: 'standalone',
    listen: { host: '127.0.0.1', port: 0 },
    securityProfiles: new Set([2, 3]),
    tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, caFile: pki.ca.certFile },
    stationsFile,
    kafka: { brokers: ['127.0.0.1:19092'], topic: 'unused', clientId: 'ocpp-edge-test', ackTimeoutMs: 5_000, connection: {} },
    maxFrameBytes: 65_536,
    maxBadFrames: 3,
    heartbeatIntervalS: 300,
    edgeInstance: 'edge-test',
    shutdownTimeoutMs: 2_000,
    health: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
    shutdownGraceMs: 25_000,
    ...overrides,
  };
}
