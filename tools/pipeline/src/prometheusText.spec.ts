import { parsePrometheusText, sumOf } from './KafkaPipelineHarness';

describe('parsePrometheusText', () => {
  it('reads names, labels (escapes included) and values, skipping comments', () => {
    const series = parsePrometheusText(
      ['# HELP a_total A.', '# TYPE a_total counter', 'a_total{outcome="rejected",code="bad-message"} 3', 'a_total{outcome="recorded",code="none"} 10', 'b{x="q\\"uote"} 1.5e3', 'c 0', ''].join('\n'),
    );
    expect(series).toEqual([
      { name: 'a_total', labels: { outcome: 'rejected', code: 'bad-message' }, value: 3 },
      { name: 'a_total', labels: { outcome: 'recorded', code: 'none' }, value: 10 },
      { name: 'b', labels: { x: 'q"uote' }, value: 1500 },
      { name: 'c', labels: {}, value: 0 },
    ]);
    expect(sumOf(series, 'a_total')).toBe(13);
    expect(sumOf(series, 'a_total', { outcome: 'rejected' })).toBe(3);
    expect(sumOf(series, 'missing')).toBe(0);
    expect(() => parsePrometheusText('what is this')).toThrow(/not a Prometheus sample line/);
  });
});
