import { DEFAULT_FAULTS, NO_FAULTS, parseFaultSpec } from '@metrology-ledger/cp800-model';
import { COMMON_FAULTS } from '../ChaosRig';
import { edgeKilled } from './edgeKilled';
import { faultSpecText } from './faultSpecText';

describe('faultSpecText', () => {
  it.each([
    ['none', NO_FAULTS],
    ['the defaults', DEFAULT_FAULTS],
    ['edge-killed', { ...COMMON_FAULTS, ...edgeKilled.faults }],
  ])('%s: the simulator CLI reads back the same spec', (_, spec) => {
    expect(parseFaultSpec(faultSpecText(spec))).toEqual({ ok: true, spec });
  });

  it('writes every rate, also the zero ones (the CLI starts from none)', () => {
    expect(faultSpecText({ ...NO_FAULTS, drop: 0.08 }).split(',')).toHaveLength(Object.keys(NO_FAULTS).length);
    expect(faultSpecText({ ...NO_FAULTS, drop: 0.08 })).toContain('drop=0.08');
  });
});
