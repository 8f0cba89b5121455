import { METER_STATUSES, READING_TYPES, TIME_STATUSES } from '../model/CodeLists';
import type { OcmfDataset } from '../model/OcmfDataset';
import { decodeMeterSerial } from '../model/MeterSerial';
import { checkSession } from '../session/checkSession';
import type { Verification } from '../Verification';

/** A readable table of one dataset: identity, readings, energy, flags, verdict. */
export function formatInspection(dataset: OcmfDataset, v: Verification): string {
  const p = dataset.payload;
  const lines: string[] = [];
  const row = (k: string, val: unknown) => val !== undefined && val !== '' && lines.push(`${k.padEnd(22)}${val}`);
  row('Verdict', `${v.verdict.toUpperCase()}: ${v.reason}`);
  row('Signature algorithm', v.algorithm);
  row('Pagination', p.pagination ? `${p.pagination.raw} (counter ${p.pagination.counter}, context ${p.pagination.context})` : '(none)');
  row('Format version', p.formatVersion);
  row('Gateway', [p.gatewayId, p.gatewaySerial && `serial ${p.gatewaySerial}`, p.gatewayVersion && `version ${p.gatewayVersion}`].filter(Boolean).join(', '));
  row('Meter', [p.meterVendor, p.meterModel, p.meterSerial && `serial ${p.meterSerial}${decodeMeterSerial(p.meterSerial) ? ` (base64 of "${decodeMeterSerial(p.meterSerial)}")` : ''}`, p.meterFirmware && `fw ${p.meterFirmware}`].filter(Boolean).join(', '));
  if (p.identificationStatus !== undefined) {
    row('Identification', `${p.identificationStatus ? 'assigned' : 'not assigned'}${p.identificationType ? `, ${p.identificationType}` : ''}${p.identificationData ? ` ${p.identificationData}` : ''}${p.identificationLevel ? `, level ${p.identificationLevel}` : ''}`);
  }
  if (p.identificationFlags.length) row('Identification flags', p.identificationFlags.join(' '));
  row('Tariff text', p.tariffText);
  if (p.lossCompensation) {
    const lc = p.lossCompensation;
    row('Cable loss comp.', `${lc.resistance?.text ?? '?'} ${lc.unit ?? ''}${lc.name ? ` (${lc.name})` : ''}${lc.id !== undefined ? ` id ${lc.id}` : ''}`);
  }
  if (p.chargePointId !== undefined) row('Charge point', `${p.chargePointIdType ? `${p.chargePointIdType} ` : ''}${p.chargePointId}`);
  lines.push('');
  const header = ['#', 'TX', 'time (UTC)', 'clock', 'value', 'unit', 'CL', 'EF', 'ST'];
  const rows = p.readings.map((r) => [
    String(r.index),
    r.type ? `${r.type} ${READING_TYPES[r.type as keyof typeof READING_TYPES]?.split(/[:(]/)[0].trim() ?? '?'}` : '',
    r.time?.iso ?? String(r.fields['TM'] ?? ''),
    r.time?.status ? `${r.time.status} ${TIME_STATUSES[r.time.status as keyof typeof TIME_STATUSES]?.split(',')[0] ?? '?'}` : '',
    r.value?.text ?? '',
    r.unit ?? '',
    r.cumulatedLoss?.text ?? '',
    r.errorFlags.join(''),
    r.status ? `${r.status} ${METER_STATUSES[r.status as keyof typeof METER_STATUSES] ?? '?'}` : '',
  ]);
  // A reduce, not Math.max(...rows): a dataset may hold tens of thousands of readings, too many for spread arguments.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  lines.push(fmt(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  const s = checkSession(p);
  if (s.energy) {
    const e = s.energy;
    const loss = e.cumulatedLossEnd ? `, cable loss withdrawn ${e.cumulatedLossEnd.text} ${e.unit} (values are compensated)` : '';
    lines.push(`Energy delivered: ${e.delivered.text} ${e.unit} (end ${e.end.text} - begin ${e.begin.text})${loss}`);
  } else {
    lines.push(`Energy delivered: not given (${s.energyWithheld})`);
  }
  for (const problem of s.orderProblems) lines.push(`Order: ${problem}`);
  for (const f of s.flags) lines.push(`Flag: ${f.message}`);
  for (const f of v.findings) lines.push(`${f.severity === 'error' ? 'Error' : 'Deviation'}: ${f.field}: ${f.message}`);
  return lines.join('\n');
}
