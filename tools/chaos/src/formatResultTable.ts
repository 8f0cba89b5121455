import { rowPasses, type ScenarioResult } from './ScenarioResult';

const HEADERS = ['scenario', 'messages sent', 'faults injected', 'time to recover', 'lost', 'duplicated', 'gaps reported / injected', 'chains intact', 'result'];

/** The chaos table, one row per scenario, then every failed check under the scenario it belongs to. */
export function formatResultTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.scenario,
    String(r.messagesSent),
    String(r.faultsInjected),
    r.recoverMs === undefined ? '-' : `${(r.recoverMs / 1000).toFixed(1)} s`,
    String(r.lost),
    String(r.duplicated),
    `${r.gapsReported} / ${r.gapsInjected}`,
    r.chainsIntact ? 'yes' : 'NO',
    rowPasses(r) ? 'pass' : 'FAIL',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const out = [line(HEADERS), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)];
  for (const r of results) for (const f of r.failures) out.push(`${r.scenario}: ${f}`);
  return out.join('\n');
}
