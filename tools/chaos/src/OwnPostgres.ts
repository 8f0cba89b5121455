import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The newest PostgreSQL server binaries installed (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinaries(root = '/usr/lib/postgresql'): string {
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl'))) : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root} (initdb and pg_ctl are needed: apt-get install postgresql)`);
  return join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A PostgreSQL cluster of the harness's own: `initdb` into `dir`, `pg_ctl` on `port` (loopback only,
 * its socket in `dir`), so it can be stopped hard and started again without touching the machine's
 * database. initdb refuses root: as root, the server runs as the `postgres` user.
 */
export class OwnPostgres {
  private readonly bin = postgresBinaries();
  private readonly data: string;
  private readonly asUser: string[] = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.data = join(dir, 'data');
  }

  /** Where to connect; idle connections of the harness's own pools close after 300 ms, so that few are open when the server is stopped. */
  get connection(): { host: string; port: number; user: string; database: string; idleTimeoutMillis: number } {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', database: 'postgres', idleTimeoutMillis: 300 };
  }

  init(): void {
    mkdirSync(this.dir, { recursive: true });
    if (this.asUser.length > 0) {
      const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(this.dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
      // A temporary parent (mkdtemp: 0700) must let the postgres user through.
      chmodSync(dirname(this.dir), 0o711);
    }
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  }

  /** Starts the server and waits until it accepts connections. Crash durability is PostgreSQL's own: fsync stays on. */
  start(): void {
    this.run('pg_ctl', this.startArgs());
  }

  private startArgs(): string[] {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c max_connections=200 -c shared_buffers=32MB`;
    return ['-D', this.data, '-l', join(this.dir, 'postgres.log'), '-o', options, '-w', '-t', '120', 'start'];
  }

  /** `pg_ctl stop -m immediate`: the server ends at once, as in a crash (recovery at the next start). */
  stopImmediately(): Promise<void> {
    return this.runAsync('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  /** Starts the server again after a stop, without blocking the caller's event loop. */
  restart(): Promise<void> {
    return this.runAsync('pg_ctl', this.startArgs());
  }

  /** Stops the server if it runs (used on failure and on SIGINT too). */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop'], false);
  }

  private runAsync(tool: string, args: string[]): Promise<void> {
    const [cmd, ...rest] = [...this.asUser, join(this.bin, tool), ...args];
    return new Promise((resolve, reject) =>
      execFile(cmd, rest, { encoding: 'utf8', cwd: this.dir }, (error, stdout, stderr) => (error ? reject(new Error(`${tool} ${args.join(' ')} failed: ${(stderr || stdout).slice(-2000)}`)) : resolve())),
    );
  }

  private run(tool: string, args: string[], check = true): void {
    const [cmd, ...rest] = [...this.asUser, join(this.bin, tool), ...args];
    const r = spawnSync(cmd, rest, { encoding: 'utf8', cwd: this.dir });
    if (check && r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }
}
