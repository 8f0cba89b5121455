import { FleetSimulator } from './FleetSimulator';
import { DEFAULT_FAULTS } from './FaultSpec';
import { mergeManifests } from './ManifestMerge';
import { ParallelFleetSimulator } from './ParallelFleetSimulator';

describe('ParallelFleetSimulator', () => {
  it('gives the same deliveries and manifest as one simulator, whatever the split', async () => {
    const options = { stations: 9, days: 3, seed: 5, start: Date.UTC(2025, 2, 1), faults: { ...DEFAULT_FAULTS, drop: 0.05, delay: 0.05, keyReplace: 0.3 } };
    const single = new FleetSimulator(options);
    const expected: string[] = [];
    for (let d = 0; d < options.days; d++) expected.push(...single.day(d).map((m) => JSON.stringify(m.message)));
    const parallel = new ParallelFleetSimulator(options, 2);
    const got: string[] = [];
    for await (const day of parallel.days()) {
      const lines = day.bytes.toString('utf8').split('\n');
      expect(lines.pop()).toBe(''); // every line ends in "\n"
      expect(lines).toHaveLength(day.messages);
      got.push(...lines);
    }
    const manifest = await parallel.finish();
    // Signatures differ (random k); everything else must be equal.
    const unsigned = (line: string) => line.replace(/\\"SD\\":\\"[^\\]+\\"/g, '').replace(/"signature":"[^"]+"/g, '');
    expect(got.map(unsigned)).toEqual(expected.map(unsigned));
    expect(manifest).toEqual(mergeManifests([single.manifest]));
  }, 120_000); // worker threads sign P-384 datasets: seconds on a loaded machine, not jest's default 5
});

describe('ParallelFleetSimulator with more workers than stations need', () => {
  it('starts only workers that have stations, so the process can end (4 stations on 3 workers: 2 used)', async () => {
    const parallel = new ParallelFleetSimulator({ stations: 4, days: 1, seed: 3, start: Date.UTC(2025, 2, 1), faults: DEFAULT_FAULTS }, 3);
    expect((parallel as unknown as { workers: unknown[] }).workers).toHaveLength(2);
    for await (const day of parallel.days()) expect(day.messages).toBeGreaterThan(0);
    await parallel.finish();
  }, 120_000);
});
