import { formatResultTable } from './formatResultTable';
import { rowPasses, type ScenarioResult } from './ScenarioResult';

const passing: ScenarioResult = { scenario: 'ingest-killed', messagesSent: 812, faultsInjected: 20, recoverMs: 4300, lost: 0, duplicated: 0, gapsReported: 9, gapsInjected: 9, chainsIntact: true, failures: [] };

describe('rowPasses', () => {
  it('passes a row with nothing lost or doubled, the injected gaps and intact chains', () => {
    expect(rowPasses(passing)).toBe(true);
  });

  it.each<[string, Partial<ScenarioResult>]>([
    ['a lost message', { lost: 1 }],
    ['a message recorded twice', { duplicated: 1 }],
    ['a gap not injected', { gapsReported: 10 }],
    ['an injected gap not reported', { gapsReported: 8 }],
    ['a broken chain', { chainsIntact: false }],
    ['a failed check', { failures: ['committed offsets moved while PostgreSQL was down'] }],
  ])('fails a row with %s', (_, change) => {
    expect(rowPasses({ ...passing, ...change })).toBe(false);
  });
});

describe('formatResultTable', () => {
  it('prints one aligned row per scenario, then each failed check under its scenario', () => {
    const failing: ScenarioResult = { ...passing, scenario: 'postgres-stopped', faultsInjected: 1, recoverMs: undefined, lost: 2, failures: ['2 messages accounted for, 812 delivered'] };
    const lines = formatResultTable([passing, failing]).split('\n');
    expect(lines[0]).toBe('| scenario         | messages sent | faults injected | time to recover | lost | duplicated | gaps reported / injected | chains intact | result |');
    expect(lines[2]).toBe('| ingest-killed    |           812 |              20 |           4.3 s |    0 |          0 |                    9 / 9 |           yes |   pass |');
    expect(lines[3]).toBe('| postgres-stopped |           812 |               1 |               - |    2 |          0 |                    9 / 9 |           yes |   FAIL |');
    expect(lines[4]).toBe('postgres-stopped: 2 messages accounted for, 812 delivered');
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBe(1);
  });
});
