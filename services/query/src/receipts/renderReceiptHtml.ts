import type { SessionView } from '../domain/SessionView';
import { escapeHtml as esc } from '../export/escapeHtml';

/** The receipt page's policy: inline styles only (no script, no request). */
export const RECEIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The customer's proof of one charging session (duties 3 and 5), printable: the eMSP, start and end
 * (station clock, informative), the energy in kWh as signed, the identification, the signed packet
 * and the public key, and how to check them with the transparency software or the /verify page.
 */
export function renderReceiptHtml(s: SessionView, kWh: string, links: { safeXml: string; verify: string }, expires: Date): string {
  const row = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(RECEIPT_CSP)}"><title>Charging receipt ${esc(s.transactionId ?? s.pagination)}</title>
<style>body{font:14px/1.4 sans-serif;max-width:48em;margin:2em auto;color:#111}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3em .5em;border-bottom:1px solid #ccc}th{width:14em}pre{white-space:pre-wrap;word-break:break-all;font-size:11px;background:#f4f4f4;padding:.5em}@media print{a{color:#111}}</style></head>
<body><h1>Charging receipt</h1>
<p>Proof of measurement under German calibration law (MessEG §33): the energy below is the figure the charging station signed.</p>
<table>
${row('eMSP', esc(s.emspId ?? ''))}
${row('Station, connector', `${esc(s.stationId)}, ${esc(s.connector ?? '')}`)}
${row('Transaction', esc(s.transactionId ?? ''))}
${row('Start', `${esc(s.startTime ?? '')} <small>(station clock, informative)</small>`)}
${row('End', `${esc(s.endTime ?? '')} <small>(station clock, informative)</small>`)}
${row('Energy delivered', `<strong>${esc(kWh)} kWh</strong>${s.cumulatedLoss ? ` <small>(cable loss compensated; cumulated loss ${esc(s.cumulatedLoss)})</small>` : ''}`)}
${row('Identification', `${esc(s.identification.type ?? 'none')} ${esc(s.identification.data ?? '')}`)}
${row('Packet', `pagination ${esc(s.pagination)}, signature ${esc(s.verdict)} (checked by ${esc(s.verifier)})`)}
</table>
<h2>Signed packet (OCMF)</h2><pre>${esc(s.ocmf)}</pre>
<h2>Public key of the station</h2><pre>${esc(s.publicKey)}</pre>
<h2>How to check</h2>
<ol><li>Download the <a href="${esc(links.safeXml)}">SAFE XML file</a> and open it in the SAFE e.V. transparency software (https://www.safe-ev.de/de/transparenzsoftware.php): it shows whether the signature matches the public key above.</li>
<li>Or paste the signed packet and the public key into the <a href="${esc(links.verify)}">verification page</a>; it checks them in your browser.</li></ol>
<p><small>This link works until ${esc(expires.toISOString())}.</small></p>
</body></html>
`;
}
