import { readFileSync } from 'node:fs';
import { quoteBounded } from '@metrology-ledger/ocmf';
import type { OcppVersion } from './ocppPayloads';
import type { StationCredentials } from './runFleetOverOcpp';

/** The flags of the simulator's OCPP mode, as given. */
export const OCPP_FLAGS = ['--ocpp', '--ocpp-version', '--security-profile', '--passwords', '--client-cert', '--client-key', '--ca', '--concurrency'] as const;

export interface OcppSettings {
  url: string;
  version: OcppVersion;
  securityProfile: 1 | 2 | 3;
  credentialsOf: (stationId: string) => StationCredentials;
  ca?: string;
  concurrency: number;
}

/** A station of the run has no password, or its certificate or key cannot be read. */
export class MissingCredentials extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MissingCredentials';
  }
}

/** `{stationId}` in a certificate or key path is the station's id. */
const STATION_PLACEHOLDER = '{stationId}';

/**
 * Reads and checks the OCPP mode's flags (files included): a reason a person can act on when they do
 * not fit together. Profile 1 is basic auth over `ws://`, 2 basic auth over `wss://`, 3 a client
 * certificate over `wss://`. Passwords come from a JSON file `{"<stationId>": "<password>", …}` (the
 * passwords the operator set with the edge's `add-station`); certificates and keys from paths with
 * `{stationId}` in them, one pair per station. A secret is never put into a reason.
 */
export function parseOcppFlags(flags: Partial<Record<(typeof OCPP_FLAGS)[number], string>>): OcppSettings | string {
  const url = flags['--ocpp'];
  if (url === undefined) return 'the OCPP mode needs --ocpp ws://… or wss://…';
  const scheme = /^(wss?):\/\/[^/]/.exec(url)?.[1];
  if (!scheme) return `--ocpp must be a ws:// or wss:// URL, not ${quoteBounded(url, 120)}`;
  const version = flags['--ocpp-version'] ?? '1.6';
  if (version !== '1.6' && version !== '2.0.1') return `--ocpp-version must be 1.6 or 2.0.1, not ${quoteBounded(version, 20)}`;
  const profileText = flags['--security-profile'] ?? (scheme === 'ws' ? '1' : '2');
  if (!['1', '2', '3'].includes(profileText)) return `--security-profile must be 1, 2 or 3, not ${quoteBounded(profileText, 20)}`;
  const securityProfile = Number(profileText) as 1 | 2 | 3;
  if (securityProfile === 1 && scheme !== 'ws') return 'security profile 1 is basic auth over ws://; use --security-profile 2 for wss://';
  if (securityProfile !== 1 && scheme !== 'wss') return `security profile ${securityProfile} needs TLS: a wss:// URL`;
  const concurrencyText = flags['--concurrency'] ?? '20';
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1) return `--concurrency must be an integer >= 1, not ${quoteBounded(concurrencyText, 20)}`;
  let ca: string | undefined;
  if (flags['--ca'] !== undefined) {
    if (scheme !== 'wss') return '--ca is for wss:// only';
    const read = readText(flags['--ca'], '--ca');
    if (typeof read !== 'string') return read.problem;
    ca = read;
  }
  if (securityProfile === 3) {
    const certPattern = flags['--client-cert'];
    const keyPattern = flags['--client-key'];
    if (!certPattern || !keyPattern) return 'security profile 3 needs --client-cert and --client-key (paths, {stationId} for the station id)';
    if (flags['--passwords'] !== undefined) return 'security profile 3 authenticates by certificate: leave out --passwords';
    const credentialsOf = (stationId: string): StationCredentials => {
      const cert = readText(certPattern.replaceAll(STATION_PLACEHOLDER, stationId), '--client-cert');
      const key = readText(keyPattern.replaceAll(STATION_PLACEHOLDER, stationId), '--client-key');
      if (typeof cert !== 'string') throw new MissingCredentials(cert.problem);
      if (typeof key !== 'string') throw new MissingCredentials(key.problem);
      return { certificate: { cert, key } };
    };
    return { url, version, securityProfile, credentialsOf, ca, concurrency };
  }
  if (flags['--client-cert'] !== undefined || flags['--client-key'] !== undefined) return `--client-cert and --client-key are for security profile 3, not ${securityProfile}`;
  if (flags['--passwords'] === undefined) return `security profile ${securityProfile} needs --passwords <file>: JSON {"<stationId>": "<password>", …}`;
  const text = readText(flags['--passwords'], '--passwords');
  if (typeof text !== 'string') return text.problem;
  let passwords: unknown;
  try {
    passwords = JSON.parse(text);
  } catch {
    return `--passwords ${quoteBounded(flags['--passwords'], 200)} is not JSON`;
  }
  if (typeof passwords !== 'object' || passwords === null || Array.isArray(passwords) || !Object.values(passwords).every((p) => typeof p === 'string' && p.length > 0)) {
    return `--passwords ${quoteBounded(flags['--passwords'], 200)} must be a JSON object of station id → non-empty password`;
  }
  const table = passwords as Record<string, string>;
  const credentialsOf = (stationId: string): StationCredentials => {
    if (!Object.hasOwn(table, stationId)) throw new MissingCredentials(`--passwords has no password for ${stationId}`);
    return { password: table[stationId] };
  };
  return { url, version, securityProfile, credentialsOf, ca, concurrency };
}

function readText(path: string, flag: string): string | { problem: string } {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return { problem: `${flag} ${quoteBounded(path, 200)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}
