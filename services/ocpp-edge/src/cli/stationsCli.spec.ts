import { PasswordHash } from '../domain/PasswordHash';
import { StationRegistry } from '../domain/StationRegistry';
import { runStationsCli, type CliIo } from './stationsCli';

function memoryIo(files: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readStdin: async () => stdin,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => files[p],
    writeFile: (p, t) => (files[p] = t),
  };
  return { io, out, err, files };
}

describe('stations CLI', () => {
  it('hash-password prints a salted scrypt hash of the first stdin line', async () => {
    const m = memoryIo({}, 'station-password-1\n');
    expect(await runStationsCli(['hash-password'], m.io)).toBe(0);
    const h = PasswordHash.parse(m.out[0]);
    expect(h).toBeInstanceOf(PasswordHash);
    expect(await (h as PasswordHash).matches('station-password-1')).toBe(true);
  });

  it('add-station creates the file, generates a 40-character password, prints it once, stores only its hash', async () => {
    const m = memoryIo();
    expect(await runStationsCli(['add-station', '/s.json', 'CP-1'], m.io)).toBe(0);
    const password = m.out[0];
    expect(password).toMatch(/^[0-9a-f]{40}$/);
    expect(m.files['/s.json']).not.toContain(password);
    const entry = StationRegistry.parse(m.files['/s.json'], '/s.json').get('CP-1')!;
    expect(await entry.password!.matches(password)).toBe(true);
    expect(m.err).toEqual(['added station CP-1 in /s.json']);
  });

  it('add-station takes a password from stdin, adds certificate-only stations, replaces an entry and keeps its upstream password', async () => {
    const m = memoryIo({ '/s.json': '{"stations":{"CP-1":{"upstreamPassword":"up-1"}}}' }, 'given-password-123\n');
    expect(await runStationsCli(['add-station', '/s.json', 'CP-1', '--password-stdin'], m.io)).toBe(0);
    expect(await runStationsCli(['add-station', '/s.json', 'CP-3', '--certificate-only'], m.io)).toBe(0);
    const r = StationRegistry.parse(m.files['/s.json'], 'f');
    expect(await r.get('CP-1')!.password!.matches('given-password-123')).toBe(true);
    expect(r.get('CP-1')!.upstreamPassword).toBe('up-1');
    expect(r.get('CP-3')).toEqual({ identity: 'CP-3' });
    expect(m.out).toEqual([]);
    expect(m.err).toEqual(['replaced station CP-1 in /s.json', 'added station CP-3 in /s.json (client certificate only)']);
  });

  it('refuses bad input without touching the file', async () => {
    const m = memoryIo({ '/broken.json': '{"stations":{"x y":{}}}' });
    expect(await runStationsCli(['add-station', '/s.json', 'CP 1'], m.io)).toBe(2);
    expect(await runStationsCli(['add-station', '/broken.json', 'CP-1'], m.io)).toBe(2);
    expect(await runStationsCli(['add-station', '/s.json', 'CP-1', '--generate', '--certificate-only'], m.io)).toBe(2);
    expect(await runStationsCli(['add-station', '/s.json', 'CP-1', '--password-stdin'], m.io)).toBe(2);
    expect(await runStationsCli(['hash-password'], m.io)).toBe(2);
    expect(await runStationsCli(['frobnicate'], m.io)).toBe(2);
    expect(Object.keys(m.files)).toEqual(['/broken.json']);
    expect(m.err[0]).toBe('identity "CP 1": a station id is 1-100 characters of letters, digits and . : * _ -');
    expect(m.err[1]).toMatch(/^not changed: \/broken.json: station "x y"/);
    expect(m.err.at(-1)).toMatch(/^usage:/);
  });
});
