import { buildAuditReport } from './AuditReport';
import { renderAuditReportCsv } from './renderAuditReportCsv';
import { renderAuditReportHtml, stripPosition } from './renderAuditReportHtml';

const big = '1' + '0'.repeat(60);
const report = buildAuditReport(
  {
    stationId: 'CP-1',
    sessions: [],
    gaps: [{ streamId: 'datasets/CP-1/k/T', publicKey: 'k', highestCounter: big, gaps: [{ from: '2', to: (BigInt(big) - 1n).toString() }], missing: (BigInt(big) - 2n).toString() }],
    rejectionCodes: ['a,b'],
    duplicates: 0,
    metrologyLog: [],
  },
  new Date('2025-02-01T00:00:00Z'),
);

describe('audit report rendering', () => {
  it('renders HTML that escapes what it shows', () => {
    const html = renderAuditReportHtml({ ...report, stationId: '<script>x</script>' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;');
  });

  it('draws a 61-digit counter range to scale from the range, without enumerating counters', () => {
    expect(stripPosition('1', big, 580)).toBe(0);
    expect(stripPosition(big, big, 580)).toBeCloseTo(580, 2);
    const html = renderAuditReportHtml(report);
    expect(html).toMatch(/<rect x="0\.0" y="0" width="580\.0" height="16" fill="#c62828">/);
  });

  it('writes CSV through the CSV writer, neutralising formula-looking codes', () => {
    const text = [...renderAuditReportCsv({ ...report, energyPerDay: [{ day: '=HYPERLINK("x")', energy: 1, sessions: 1 }] })].join('');
    expect(text).toMatch(/^section,key,value,sessions\n/);
    expect(text).toContain(`energy_kwh,"'=HYPERLINK(""x"")",1,1\n`);
    expect(text).toContain(`outcome,"rejected:a,b",1,\n`);
    expect(text).toContain(`missing,datasets/CP-1/k/T,2-${'9'.repeat(60)},`);
  });
});
