import { isStationId, quoteBounded, STATION_ID_RULE } from '@metrology-ledger/ledger';
import { PasswordHash } from './PasswordHash';

/** One station the edge accepts. */
export interface StationEntry {
  identity: string;
  /** Present when the station may connect with a password (security profiles 1 and 2). */
  password?: PasswordHash;
  /** Proxy mode: the basic-auth password the edge presents to the operator's CSMS for this station. */
  upstreamPassword?: string;
}

/** Why a stations file cannot be used: every problem found, each naming the entry. */
export class StationsFileInvalid extends Error {
  override readonly name = 'StationsFileInvalid';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? `; and ${problems.length - 8} more` : ''}`);
  }
}

/**
 * The stations the edge accepts, as the stations file lists them:
 * `{"stations": {"CP-1": {"password": "scrypt$…"}, "CP-2": {}, "CP-3": {"password": "scrypt$…", "upstreamPassword": "…"}}}`.
 * A station without `password` can only connect with a client certificate (security profile 3).
 */
export class StationRegistry {
  private constructor(private readonly entries: ReadonlyMap<string, StationEntry>) {}

  static empty(): StationRegistry {
    return new StationRegistry(new Map());
  }

  /** Reads the file's text; throws StationsFileInvalid listing every problem. */
  static parse(text: string, source: string): StationRegistry {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new StationsFileInvalid(source, [`not JSON (${quoteBounded((e as Error).message, 120)})`]);
    }
    const stations = (doc as { stations?: unknown } | null)?.stations;
    if (typeof stations !== 'object' || stations === null || Array.isArray(stations)) {
      throw new StationsFileInvalid(source, ['the file must be an object {"stations": {"<identity>": {...}, ...}}']);
    }
    const problems: string[] = [];
    const entries = new Map<string, StationEntry>();
    for (const [identity, value] of Object.entries(stations as Record<string, unknown>)) {
      const at = `station ${quoteBounded(identity)}`;
      if (!isStationId(identity)) problems.push(`${at}: ${STATION_ID_RULE}`);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${at}: must be an object such as {"password": "scrypt$…"} or {} (client certificate only)`);
        continue;
      }
      const { password, upstreamPassword, ...rest } = value as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) problems.push(`${at}: unknown field(s) ${unknown.map((k) => quoteBounded(k, 40)).join(', ')}; known: password, upstreamPassword`);
      const entry: StationEntry = { identity };
      if (password !== undefined) {
        const parsed = typeof password === 'string' ? PasswordHash.parse(password) : 'password must be a string';
        if (typeof parsed === 'string') problems.push(`${at}: ${parsed}`);
        else entry.password = parsed;
      }
      if (upstreamPassword !== undefined) {
        if (typeof upstreamPassword !== 'string' || upstreamPassword.length === 0) problems.push(`${at}: upstreamPassword must be a non-empty string`);
        else entry.upstreamPassword = upstreamPassword;
      }
      entries.set(identity, entry);
    }
    if (problems.length > 0) throw new StationsFileInvalid(source, problems);
    return new StationRegistry(entries);
  }

  get size(): number {
    return this.entries.size;
  }

  get(identity: string): StationEntry | undefined {
    return this.entries.get(identity);
  }

  /** A copy with `entry` added or replaced. */
  with(entry: StationEntry): StationRegistry {
    const entries = new Map(this.entries);
    entries.set(entry.identity, entry);
    return new StationRegistry(entries);
  }

  /** The file's text, stations sorted by identity. */
  toFileText(): string {
    const stations: Record<string, { password?: string; upstreamPassword?: string }> = {};
    for (const identity of [...this.entries.keys()].sort()) {
      const e = this.entries.get(identity)!;
      stations[identity] = {
        ...(e.password ? { password: e.password.toString() } : {}),
        ...(e.upstreamPassword !== undefined ? { upstreamPassword: e.upstreamPassword } : {}),
      };
    }
    return `${JSON.stringify({ stations }, null, 2)}\n`;
  }
}
