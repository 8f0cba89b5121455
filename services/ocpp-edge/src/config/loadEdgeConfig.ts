import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { quoteBounded } from '@metrology-ledger/ledger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type SecurityProfile } from '../domain/SecurityProfile';
import { StationRegistry, StationsFileInvalid } from '../domain/StationRegistry';
import { configVariablesOf, readSecretFiles, type ConfigVariable } from '@metrology-ledger/service-runtime';
import type { EdgeConfig } from './EdgeConfig';
import { EdgeEnvironment, type LogLevel } from './EdgeEnvironment';
import { kafkaConnectionOf } from '@metrology-ledger/service-runtime';

/**
 * Every environment variable the edge reads, whether it must be set and whether it is a secret,
 * derived from EdgeEnvironment: for the deployment manifests' drift check (tools/manifests). The one
 * secret is KAFKA_SASL_PASSWORD (station passwords are hashed in the stations file; TLS keys are
 * files), with its `_FILE` twin KAFKA_SASL_PASSWORD_FILE.
 */
export const EDGE_CONFIG_VARIABLES: ConfigVariable[] = configVariablesOf(EdgeEnvironment);

/** The grace period under Kubernetes' default 30 s `terminationGracePeriodSeconds`. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** Every problem found in the settings, for one message that lists them all. */
export class EdgeConfigInvalid extends Error {
  override readonly name = 'EdgeConfigInvalid';
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the settings (see services/ocpp-edge/README.md, "Settings"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads files named by the settings; tests replace it. */
export type ReadText = (path: string) => string;

/**
 * Validates the environment (class-validator over EdgeEnvironment, then the rules that tie
 * variables together) and checks that every file it names can be read and holds what it should.
 * Throws EdgeConfigInvalid listing every problem; an empty variable counts as unset.
 */
export function loadEdgeConfig(env: Record<string, string | undefined>, defaults: { hostname: string }, read: ReadText = (p) => readFileSync(p, 'utf8')): EdgeConfig {
  const set = Object.fromEntries(Object.entries(env).filter((v): v is [string, string] => v[1] !== undefined && v[1] !== ''));
  const files = readSecretFiles(set, EdgeEnvironment, read);
  const e = plainToInstance(EdgeEnvironment, files.values, { excludeExtraneousValues: true });
  const errors = validateSync(e, { stopAtFirstError: true });
  const problems = [...errors.flatMap((err) => Object.values(err.constraints ?? {})), ...files.problems];
  const failed = new Set(errors.map((err) => err.property));
  const ok = (name: keyof EdgeEnvironment) => e[name] !== undefined && !failed.has(name);

  const profiles = new Set<SecurityProfile>(
    ok('EDGE_SECURITY_PROFILES') ? e.EDGE_SECURITY_PROFILES!.split(',').map((s) => Number(s.trim()) as SecurityProfile) : failed.has('EDGE_SECURITY_PROFILES') ? [] : [2],
  );
  const allowSp1 = e.EDGE_ALLOW_SP1 === 'true';
  const tlsProfiles = profiles.has(2) || profiles.has(3);
  if (profiles.has(1) && !allowSp1) problems.push('EDGE_SECURITY_PROFILES includes 1 (plain ws, password in clear): set EDGE_ALLOW_SP1=true to allow it, for development only');
  if (profiles.has(1) && tlsProfiles) problems.push('EDGE_SECURITY_PROFILES cannot mix 1 (plain ws) with 2 or 3 (TLS) on one listener: run a second edge for profile 1');
  if (tlsProfiles && !e.EDGE_TLS_CERT) problems.push('EDGE_TLS_CERT is required for security profiles 2 and 3: the server certificate (PEM), chain included');
  if (tlsProfiles && !e.EDGE_TLS_KEY) problems.push('EDGE_TLS_KEY is required for security profiles 2 and 3: the server private key (PEM)');
  if (profiles.has(3) && !e.EDGE_TLS_CA) problems.push('EDGE_TLS_CA is required for security profile 3: the operator CA (PEM) that issues the station certificates');
  if (!tlsProfiles && profiles.size > 0 && (e.EDGE_TLS_CERT || e.EDGE_TLS_KEY || e.EDGE_TLS_CA)) problems.push('EDGE_TLS_* are set but EDGE_SECURITY_PROFILES is 1 (plain ws): set EDGE_SECURITY_PROFILES=2 or 3, or unset the TLS files');

  const proxy = e.EDGE_MODE === 'proxy';
  if (proxy && !e.EDGE_UPSTREAM_URL) problems.push("EDGE_UPSTREAM_URL is required in proxy mode: the operator's CSMS endpoint, e.g. wss://csms.example.com/ocpp");
  if (!proxy && e.EDGE_MODE === 'standalone') {
    const upstreamVars = (['EDGE_UPSTREAM_URL', 'EDGE_UPSTREAM_BASIC_AUTH', 'EDGE_UPSTREAM_CA', 'EDGE_UPSTREAM_CERT', 'EDGE_UPSTREAM_KEY', 'EDGE_UPSTREAM_TIMEOUT_MS'] as const).filter((k) => e[k] !== undefined);
    if (upstreamVars.length > 0) problems.push(`${upstreamVars.join(', ')} set in standalone mode, where there is no upstream: set EDGE_MODE=proxy or unset them`);
  }
  if (proxy && e.EDGE_TRANSACTION_ID_FILE) problems.push('EDGE_TRANSACTION_ID_FILE set in proxy mode, where the CSMS assigns transaction ids: unset it or set EDGE_MODE=standalone');
  if (!!e.EDGE_UPSTREAM_CERT !== !!e.EDGE_UPSTREAM_KEY) problems.push('EDGE_UPSTREAM_CERT and EDGE_UPSTREAM_KEY go together: the client certificate and key the edge presents to the CSMS');

  const checkFile = (name: keyof EdgeEnvironment, what: 'certificate' | 'key' | 'stations') => {
    const path = e[name] as string | undefined;
    if (path === undefined || failed.has(name)) return;
    let text: string;
    try {
      text = read(path);
    } catch (err) {
      problems.push(`${name}: cannot read ${quoteBounded(path, 200)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return;
    }
    try {
      if (what === 'certificate') new X509Certificate(text);
      else if (what === 'key') createPrivateKey(text);
      else StationRegistry.parse(text, path);
    } catch (err) {
      if (err instanceof StationsFileInvalid) problems.push(...err.problems.slice(0, 20).map((p) => `${name} (${quoteBounded(path, 200)}): ${p}`));
      else problems.push(`${name}: ${quoteBounded(path, 200)} holds no PEM ${what} (${quoteBounded((err as Error).message, 120)})`);
    }
  };
  checkFile('EDGE_TLS_CERT', 'certificate');
  checkFile('EDGE_TLS_KEY', 'key');
  checkFile('EDGE_TLS_CA', 'certificate');
  checkFile('EDGE_UPSTREAM_CA', 'certificate');
  checkFile('EDGE_UPSTREAM_CERT', 'certificate');
  checkFile('EDGE_UPSTREAM_KEY', 'key');
  checkFile('EDGE_STATIONS_FILE', 'stations');

  const kafkaConnection = kafkaConnectionOf(e, read);
  problems.push(...kafkaConnection.problems);

  const health = { host: e.EDGE_HEALTH_HOST ?? '0.0.0.0', port: e.EDGE_HEALTH_PORT ?? 9102 };
  const metrics = { host: e.METRICS_HOST ?? '0.0.0.0', port: e.METRICS_PORT ?? 9464 };
  if (!failed.has('EDGE_HEALTH_PORT') && !failed.has('METRICS_PORT') && !failed.has('EDGE_PORT')) {
    if (health.port !== 0 && health.port === metrics.port) problems.push(`EDGE_HEALTH_PORT and METRICS_PORT must differ; both are ${health.port}`);
    const listen = e.EDGE_PORT ?? 8443;
    if (listen !== 0 && (listen === health.port || listen === metrics.port)) problems.push(`EDGE_PORT (${listen}) must differ from EDGE_HEALTH_PORT and METRICS_PORT`);
  }
  // A stop has two waiting steps (calls in flight and closing stations; flushing Kafka), each up to
  // EDGE_SHUTDOWN_TIMEOUT_MS: both must fit in the grace period with a second to spare.
  const graceMs = ok('SHUTDOWN_GRACE_MS') ? e.SHUTDOWN_GRACE_MS! : DEFAULT_SHUTDOWN_GRACE_MS;
  const stepMs = ok('EDGE_SHUTDOWN_TIMEOUT_MS') ? e.EDGE_SHUTDOWN_TIMEOUT_MS! : Math.min(10_000, Math.floor((graceMs - 1_000) / 2));
  if (ok('EDGE_SHUTDOWN_TIMEOUT_MS') && 2 * stepMs + 1_000 > graceMs) {
    problems.push(`EDGE_SHUTDOWN_TIMEOUT_MS (${stepMs}) is too long for SHUTDOWN_GRACE_MS (${graceMs}): a stop waits up to twice it (calls in flight, then Kafka) and needs a second more; at most ${Math.floor((graceMs - 1_000) / 2)}`);
  }

  if (problems.length > 0) throw new EdgeConfigInvalid(problems);

  const edgeInstance = e.EDGE_INSTANCE_ID ?? defaults.hostname;
  return {
    mode: proxy ? 'proxy' : 'standalone',
    listen: { host: e.EDGE_HOST ?? '0.0.0.0', port: e.EDGE_PORT ?? 8443 },
    securityProfiles: profiles,
    ...(tlsProfiles ? { tls: { certFile: e.EDGE_TLS_CERT!, keyFile: e.EDGE_TLS_KEY!, ...(profiles.has(3) ? { caFile: e.EDGE_TLS_CA! } : {}) } } : {}),
    stationsFile: e.EDGE_STATIONS_FILE,
    ...(!proxy && e.EDGE_TRANSACTION_ID_FILE ? { transactionIdFile: e.EDGE_TRANSACTION_ID_FILE } : {}),
    ...(proxy
      ? {
          upstream: {
            url: e.EDGE_UPSTREAM_URL!.replace(/\/+$/, ''),
            basicAuth: (e.EDGE_UPSTREAM_BASIC_AUTH ?? 'forward') as 'forward' | 'none',
            timeoutMs: e.EDGE_UPSTREAM_TIMEOUT_MS ?? 30_000,
            ...(e.EDGE_UPSTREAM_CA ? { caFile: e.EDGE_UPSTREAM_CA } : {}),
            ...(e.EDGE_UPSTREAM_CERT ? { certFile: e.EDGE_UPSTREAM_CERT, keyFile: e.EDGE_UPSTREAM_KEY } : {}),
          },
        }
      : {}),
    kafka: {
      brokers: e.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      topic: e.KAFKA_TOPIC_OCPP_FRAMES ?? 'ocpp-frames',
      clientId: e.KAFKA_CLIENT_ID ?? `ocpp-edge-${edgeInstance}`,
      ackTimeoutMs: e.EDGE_KAFKA_ACK_TIMEOUT_MS ?? 10_000,
      connection: kafkaConnection.connection,
    },
    maxFrameBytes: e.EDGE_MAX_FRAME_BYTES ?? 65_536,
    maxBadFrames: e.EDGE_MAX_BAD_FRAMES ?? 5,
    heartbeatIntervalS: e.EDGE_HEARTBEAT_INTERVAL_S ?? 300,
    edgeInstance,
    shutdownTimeoutMs: stepMs,
    health,
    metrics,
    log: { level: (e.LOG_LEVEL ?? 'info') as LogLevel },
    shutdownGraceMs: graceMs,
  };
}
