import type { DatasetRecorded } from '@metrology-ledger/ledger';
import { SignedTestStation } from '../testing/SignedTestStation';
import { OUT_OF_RANGE_VALUE, projectDataset, UNEVALUABLE_READINGS } from './projectSession';

const station = new SignedTestStation('CP-P');
const recorded = (data: unknown) => ({ type: 'DatasetRecorded', data }) as DatasetRecorded;

describe('projectDataset', () => {
  it('gives the energy of a readable dataset', () => {
    const { view, problem } = projectDataset(recorded(station.dataset('5')), 's', 't');
    expect(view).toMatchObject({ counter: '5', energy: '1.25', unit: 'kWh', energyWithheld: null });
    expect(problem).toBeUndefined();
  });

  it('turns an exception of the session check into a view without energy and the reason, never a throw', () => {
    const boom = () => {
      throw new SyntaxError('Cannot convert Infinity to a BigInt');
    };
    const { view, problem } = projectDataset(recorded(station.dataset('6')), 's', 't', boom);
    expect(view).toMatchObject({ counter: '6', energy: null, unit: null, energyWithheld: UNEVALUABLE_READINGS, startTime: '2025-06-01T10:00:00.000Z' });
    expect(view.energyWithheld).not.toMatch(/BigInt/);
    expect(problem).toMatch(/Cannot convert Infinity to a BigInt/);
  });

  it('withholds energy when a value parsed to a non-finite number', () => {
    const check = jest.fn();
    const { view } = projectDataset(recorded(station.dataset('7', { endValue: '1e400' })), 's', 't', check);
    expect(view.energy).toBeNull();
    expect(view.energyWithheld).toEqual(expect.any(String));
    if (check.mock.calls.length === 0) expect(view.energyWithheld).toBe(OUT_OF_RANGE_VALUE);
  });

  it('projects a record of the wrong shape (older version) without throwing', () => {
    const { view, problem } = projectDataset(recorded({ stationId: 'CP-P', counter: 9, ocmf: 42, verification: null }), 's', 't');
    expect(view).toMatchObject({ counter: '9', ocmf: '', energy: null, verdict: 'unknown' });
    expect(problem).toMatch(/no OCMF text/);
    expect(() => projectDataset(recorded(null), 's', 't')).not.toThrow();
  });
});
