import { parseOcmf, parseOcmfSections, typeSections } from '@metrology-ledger/ocmf';
import type { DatasetRecorded as RecordedData } from '@metrology-ledger/ledger';
import { benchEvents } from '../../bench/benchLedger';
import { projectDataset } from './projectSession';

/**
 * The datasets of the benchmarks' ledger (bench/benchLedger.ts, the rebuild benchmark's records):
 * libs/ocmf's single read of the payload gives what reading it twice gives, and so the projection.
 */
describe('projection of the bench ledger datasets', () => {
  const events = [...benchEvents({ stations: 3, perStation: 400, year: 2025 })];

  it('has the datasets', () => {
    expect(events).toHaveLength(1200);
  });

  it('parses each dataset as the two-read path does', () => {
    for (const e of events) {
      const ocmf = (JSON.parse(e.dataText) as { ocmf: string }).ocmf;
      const sections = parseOcmfSections(ocmf);
      if (!sections.ok) throw new Error(sections.error.reason);
      expect(parseOcmf(ocmf)).toStrictEqual({ ok: true, ...typeSections(sections.sections) });
    }
  });

  it('projects every dataset with an energy figure and no problem', () => {
    for (const e of events) {
      const p = projectDataset({ type: 'DatasetRecorded', data: JSON.parse(e.dataText) } as RecordedData, e.streamId, e.recordedAt);
      expect(p.problem).toBeUndefined();
      expect(p.view.energyWithheld).toBeNull();
      expect(p.view.energy).toMatch(/^\d+(\.\d+)?$/);
      expect(p.view.startTime! < p.view.endTime!).toBe(true);
    }
  });
});
