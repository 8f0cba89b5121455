import type { OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import type { Scenario } from './Scenario';

/** The signed reading time (first reading's TM, without the status) and the pagination counter of a dataset. */
function timeAndCounter(ocmf: string): { time: number; counter: number } | undefined {
  const pg = /"PG":"T(\d+)-/.exec(ocmf);
  const tm = /"TM":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),(\d{3})([+-]\d{4})/.exec(ocmf);
  if (!pg || !tm) return undefined;
  return { time: Date.parse(`${tm[1]}.${tm[2]}${tm[3].slice(0, 3)}:${tm[3].slice(3)}`), counter: Number(pg[1]) };
}

/**
 * 7. Stations whose clock jumps back and forth (the simulator's clockJump: the RTC set 10 min to 36 h
 * forward or back until the next NTP sync): the ledger orders by the pagination counter, so the
 * reconciliation must hold exactly as without the jumps. The scenario also checks that the jumps did
 * reach signed datasets (a later counter signed at an earlier time).
 */
export const clockJumps: Scenario = {
  name: 'clock-jumps',
  title: 'station clocks set forward and back (10 min to 36 h) four times a day on average: order follows the pagination counter, not the signed time',
  faults: { clockJump: 0.5 },
  async act({ run, trafficMs }) {
    for (let i = 0; i < 2; i++) run.startIngest();
    run.faultsInjected = run.h.manifest.injected.filter((f) => f.kind === 'clockJump').length;
    const byStation = new Map<string, { time: number; counter: number }[]>();
    for (const m of run.h.messages) {
      if (m.kind !== 'ocmf-dataset') continue;
      const tc = timeAndCounter((m as OcmfDatasetMessage).ocmf);
      if (tc) byStation.set(m.stationId, [...(byStation.get(m.stationId) ?? []), tc]);
    }
    const backwards = [...byStation.values()].reduce((n, list) => {
      const sorted = [...list].sort((a, b) => a.counter - b.counter);
      return n + sorted.filter((x, i) => i > 0 && x.counter > sorted[i - 1].counter && x.time < sorted[i - 1].time).length;
    }, 0);
    if (backwards === 0) run.failures.push('no dataset was signed at an earlier time than the counter before it: the clock jumps never reached a dataset');
    await run.publish(trafficMs);
  },
};
