import { PasswordHash } from './PasswordHash';
import { StationRegistry, StationsFileInvalid } from './StationRegistry';

describe('StationRegistry', () => {
  it('reads stations with a password, certificate-only stations and upstream passwords', async () => {
    const hash = (await PasswordHash.create('pw-0123456789abcdef', { N: 1024, r: 8, p: 1 })).toString();
    const r = StationRegistry.parse(JSON.stringify({ stations: { 'CP-1': { password: hash }, 'CP-2': {}, 'CP-3': { password: hash, upstreamPassword: 'up' } } }), 'f');
    expect(r.size).toBe(3);
    expect(await r.get('CP-1')!.password!.matches('pw-0123456789abcdef')).toBe(true);
    expect(r.get('CP-2')).toEqual({ identity: 'CP-2' });
    expect(r.get('CP-3')!.upstreamPassword).toBe('up');
    expect(r.get('CP-4')).toBeUndefined();
    expect(StationRegistry.parse(r.toFileText(), 'again').toFileText()).toBe(r.toFileText());
  });

  it('lists every problem of the file, naming the station', () => {
    const text = JSON.stringify({ stations: { 'bad id': {}, 'CP-1': { password: 42 }, 'CP-2': 'x', 'CP-3': { pasword: 'typo' }, 'CP-4': { upstreamPassword: '' } } });
    let err: unknown;
    try {
      StationRegistry.parse(text, '/etc/edge/stations.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StationsFileInvalid);
    expect((err as StationsFileInvalid).problems).toEqual([
      'station "bad id": a station id is 1-100 characters of letters, digits and . : * _ -',
      'station "CP-1": password must be a string',
      'station "CP-2": must be an object such as {"password": "scrypt$…"} or {} (client certificate only)',
      'station "CP-3": unknown field(s) "pasword"; known: password, upstreamPassword',
      'station "CP-4": upstreamPassword must be a non-empty string',
    ]);
    expect((err as Error).message).toMatch(/^\/etc\/edge\/stations.json: station "bad id"/);
  });

  it('says what a file that is not a stations file is', () => {
    expect(() => StationRegistry.parse('{', 'f')).toThrow(/^f: not JSON/);
    expect(() => StationRegistry.parse('[]', 'f')).toThrow('the file must be an object {"stations": {"<identity>": {...}, ...}}');
  });
});
