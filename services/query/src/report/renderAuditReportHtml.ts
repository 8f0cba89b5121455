import type { AuditReport } from './AuditReport';
import { escapeHtml } from '../export/escapeHtml';

const esc = escapeHtml;

/** The policy the report page is served with (header and meta): inline styles, nothing else. */
export const AUDIT_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** At most this many missing ranges are drawn or listed per stream; the JSON and CSV forms hold all. */
export const MAX_DRAWN_RANGES = 500;

/** Horizontal bar chart as inline SVG: no script, no external file (the page's CSP allows neither). */
function bars(title: string, rows: { label: string; value: number; colour?: string }[], unit = ''): string {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const h = 18;
  const body = rows
    .map((r, i) => {
      const w = Math.round((r.value / max) * 360);
      return `<text x="0" y="${i * h + 13}" font-size="11">${esc(r.label)}</text><rect x="150" y="${i * h + 3}" width="${w}" height="12" fill="${r.colour ?? '#3b6ea8'}"/><text x="${155 + w}" y="${i * h + 13}" font-size="11">${esc(r.value)}${esc(unit)}</text>`;
    })
    .join('');
  return `<h2>${esc(title)}</h2><svg role="img" aria-label="${esc(title)}" width="600" height="${Math.max(h, rows.length * h + 4)}">${body}</svg>`;
}

/**
 * Position of counter `c` on a strip of `width` pixels for counters 1..highest, computed on BigInt
 * (exact for counters of any length; the work is one division, whatever the counter's value).
 */
export function stripPosition(c: string, highest: string, width: number): number {
  const hi = BigInt(highest);
  if (hi <= 0n) return 0;
  const x = ((BigInt(c) - 1n) * BigInt(width) * 1000n) / hi;
  return Number(x) / 1000;
}

/** Counter range of one key stream: recorded in green, missing in red, to scale. */
function counterStrip(s: AuditReport['streams'][number]): string {
  if (!s.highest || !/^\d+$/.test(s.highest) || BigInt(s.highest) === 0n) return '<p>no datasets</p>';
  const hi = s.highest;
  const missing = s.missing
    .slice(0, MAX_DRAWN_RANGES)
    .map((g) => {
      const x = stripPosition(g.from, hi, 580);
      const w = Math.max(2, stripPosition((BigInt(g.to) + 1n).toString(), hi, 580) - x);
      return `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="16" fill="#c62828"><title>missing ${esc(g.from)}–${esc(g.to)}</title></rect>`;
    })
    .join('');
  return `<svg role="img" aria-label="counter range" width="600" height="20"><rect x="0" y="0" width="580" height="16" fill="#5a9e5a"/>${missing}</svg>`;
}

function missingText(s: AuditReport['streams'][number]): string {
  if (s.missing.length === 0) return 'none';
  const shown = s.missing.slice(0, MAX_DRAWN_RANGES).map((g) => (g.from === g.to ? g.from : `${g.from}–${g.to}`));
  const more = s.missing.length > MAX_DRAWN_RANGES ? ` and ${s.missing.length - MAX_DRAWN_RANGES} more ranges (see the JSON or CSV form)` : '';
  return `${esc(s.missingCount)} counters in ${s.missing.length} ranges: ${esc(shown.join(', '))}${more}`;
}

function stationFirmware(f: AuditReport['stationFirmware']): string {
  const current = f.current
    ? `<p>Firmware version reported at the last boot: <strong>${esc(f.current.version)}</strong> (received ${esc(f.current.reportedAt)}, <code>${esc(f.current.messageId)}</code>)</p>`
    : '<p>No boot with a firmware version reported over OCPP.</p>';
  if (f.changes.length === 0) return `${current}<p>No firmware change reported at boot in the period.</p>`;
  const rows = f.changes
    .map((c) => {
      const log = c.logEntry ? `FirmwareInstalled #${esc(c.logEntry.seq)} at ${esc(c.logEntry.time)}` : '<strong style="color:#c62828">no signed FirmwareInstalled entry</strong>';
      return `<tr><td>${esc(c.reportedAt)}</td><td>${esc(c.from)}</td><td>${esc(c.to)}</td><td><code>${esc(c.messageId)}</code></td><td>${log}</td></tr>`;
    })
    .join('');
  return `${current}<table><tr><th>received</th><th>from</th><th>to</th><th>boot</th><th>metrology log</th></tr>${rows}</table>`;
}

export function renderAuditReportHtml(r: AuditReport): string {
  const rejected = Object.entries(r.outcomes.rejected).map(([code, n]) => ({ label: `rejected: ${code}`, value: n, colour: '#c62828' }));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Audit report ${esc(r.stationId)}</title>
<meta http-equiv="Content-Security-Policy" content="${AUDIT_REPORT_CSP.replace("; frame-ancestors 'none'", '')}">
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.85rem}table{border-collapse:collapse}</style></head><body>
<h1>Audit report: station ${esc(r.stationId)}</h1>
<p>Period ${esc(r.from ?? 'start')} to ${esc(r.to ?? 'now')}; generated ${esc(r.generatedAt)}. Datasets are ordered by pagination counter; station clock times are informative only.</p>
<h2>Pagination per signing key</h2>
${r.streams.map((s) => `<p><code>${esc(s.streamId)}</code>: counters ${esc(s.lowest ?? '-')}–${esc(s.highest ?? '-')}, ${s.recorded} recorded in the period, missing: ${missingText(s)}</p>${counterStrip(s)}`).join('')}
<h2>OCPP 2.0.1 messages that never arrived (missing seqNos)</h2>
${r.seqNoGaps.length ? `<table><tr><th>transaction</th><th>missing</th><th>seqNos</th></tr>${r.seqNoGaps.map((t) => `<tr><td>${esc(t.transactionId)}</td><td>${esc(t.missingCount)}</td><td>${esc(t.missing.slice(0, MAX_DRAWN_RANGES).map((g) => (g.from === g.to ? g.from : `${g.from}–${g.to}`)).join(', '))}${t.missing.length > MAX_DRAWN_RANGES ? ' …' : ''}</td></tr>`).join('')}</table>` : '<p>none</p>'}
${bars('Energy delivered per day (kWh, compensated)', r.energyPerDay.map((d) => ({ label: d.day, value: d.energy })))}
<p>${r.sessionsWithoutEnergy} sessions without an energy figure (conflict, or readings that give none).</p>
${bars('Verification outcomes', [{ label: 'valid', value: r.outcomes.valid, colour: '#5a9e5a' }, { label: 'conflicts', value: r.outcomes.conflicts, colour: '#e0a100' }, { label: 'duplicates', value: r.outcomes.duplicates, colour: '#888' }, ...rejected])}
<h2>Clock unsynchronised</h2>
${r.clockUnsync.length ? `<table><tr><th>from</th><th>to</th></tr>${r.clockUnsync.map((w) => `<tr><td>${esc(w.from)}</td><td>${esc(w.to ?? 'still unsynchronised')}</td></tr>`).join('')}</table>` : '<p>none</p>'}
<h2>Firmware / LRS and meter changes</h2>
${r.firmware.length ? `<table><tr><th>time</th><th>event</th><th>detail</th></tr>${r.firmware.map((f) => `<tr><td>${esc(f.time)}</td><td>${esc(f.event)}</td><td>${esc(f.detail)}</td></tr>`).join('')}</table>` : '<p>none</p>'}
<h2>Firmware reported at boot (OCPP)</h2>
${stationFirmware(r.stationFirmware)}
${r.notes.map((n) => `<p><em>${esc(n)}</em></p>`).join('')}
</body></html>`;
}
