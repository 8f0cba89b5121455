import { randomBytes } from 'node:crypto';
import { isStationId, quoteBounded, STATION_ID_RULE } from '@metrology-ledger/ledger';
import { PasswordHash } from '../domain/PasswordHash';
import { StationRegistry } from '../domain/StationRegistry';

/** What the CLI touches, so tests can run it without a terminal. */
export interface CliIo {
  readStdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Writes the whole file at once (readable by its owner only). */
  writeFile(path: string, text: string): void;
}

export const USAGE = `usage:
  hash-password                                   read a password from stdin, print its scrypt hash for the stations file
  add-station <stations-file> <identity> [--generate | --password-stdin | --certificate-only]
        --generate          (default) make a random 40-character password, store its hash, print the password once
        --password-stdin    store the hash of the password read from stdin
        --certificate-only  no password: the station connects with a client certificate (security profile 3)
  The stations file is created when missing; an entry for the same identity is replaced.`;

/** The edge's station CLI (`node dist/cli/main.js …`); returns the exit code. */
export async function runStationsCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'hash-password') {
    const password = firstLine(await io.readStdin());
    if (!password) return fail(io, 'no password on stdin');
    io.out((await PasswordHash.create(password)).toString());
    return 0;
  }
  if (command === 'add-station') {
    const positional = rest.filter((a) => !a.startsWith('--'));
    const flags = rest.filter((a) => a.startsWith('--'));
    const [file, identity] = positional;
    if (positional.length !== 2) return fail(io, `add-station takes a stations file and an identity\n${USAGE}`);
    const known = ['--generate', '--password-stdin', '--certificate-only'];
    const unknown = flags.filter((f) => !known.includes(f));
    if (unknown.length > 0 || flags.length > 1) return fail(io, `choose at most one of ${known.join(', ')}\n${USAGE}`);
    if (!isStationId(identity)) return fail(io, `identity ${quoteBounded(identity)}: ${STATION_ID_RULE}`);
    let registry: StationRegistry;
    try {
      const text = io.readFile(file);
      registry = text === undefined ? StationRegistry.empty() : StationRegistry.parse(text, file);
    } catch (e) {
      return fail(io, `not changed: ${(e as Error).message}`);
    }
    const mode = flags[0] ?? '--generate';
    const previous = registry.get(identity);
    let password: string | undefined;
    if (mode === '--generate') password = randomBytes(20).toString('hex');
    else if (mode === '--password-stdin') {
      password = firstLine(await io.readStdin());
      if (!password) return fail(io, 'no password on stdin');
    }
    registry = registry.with({
      identity,
      ...(password !== undefined ? { password: await PasswordHash.create(password) } : {}),
      ...(previous?.upstreamPassword !== undefined ? { upstreamPassword: previous.upstreamPassword } : {}),
    });
    io.writeFile(file, registry.toFileText());
    io.err(`${previous ? 'replaced' : 'added'} station ${identity} in ${file}${password === undefined ? ' (client certificate only)' : ''}`);
    if (mode === '--generate') io.out(password!);
    return 0;
  }
  return fail(io, USAGE);
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}

function fail(io: CliIo, message: string): number {
  io.err(message);
  return 2;
}
