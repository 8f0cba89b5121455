import { parseChaosArguments } from './parseChaosArguments';

const known = ['ingest-killed', 'broker-killed'];

describe('parseChaosArguments', () => {
  it('reads a scenario, minutes and a seed', () => {
    expect(parseChaosArguments(['--scenario', 'broker-killed', '--minutes', '3', '--seed', '7'], known)).toEqual({ ok: true, args: { scenario: 'broker-killed', minutes: 3, seed: 7 } });
  });

  it('takes all, the short form (no minutes) and seed 1 by default', () => {
    expect(parseChaosArguments(['--scenario', 'all'], known)).toEqual({ ok: true, args: { scenario: 'all', seed: 1 } });
  });

  it.each([
    [[], /--scenario is required/],
    [['--scenario', 'nope'], /unknown scenario "nope"; known: all, ingest-killed, broker-killed/],
    [['--scenario', 'all', '--minutes', '0'], /--minutes must be a number/],
    [['--scenario', 'all', '--minutes', 'x'], /--minutes must be a number/],
    [['--scenario', 'all', '--seed', '1.5'], /--seed must be a whole number/],
    [['--scenario'], /--scenario needs a value/],
    [['--soak', '10m'], /unknown argument "--soak"/],
  ])('refuses %j with a reason', (argv, reason) => {
    const r = parseChaosArguments(argv as string[], known);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(reason);
  });
});
