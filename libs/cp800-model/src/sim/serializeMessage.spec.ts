import { DEFAULT_FAULTS } from './FaultSpec';
import { FleetSimulator } from './FleetSimulator';
import { serializeMessage } from './serializeMessage';

describe('serializeMessage', () => {
  it('writes exactly what JSON.stringify writes, for every kind of message', () => {
    const sim = new FleetSimulator({ stations: 6, days: 3, seed: 11, start: Date.UTC(2025, 0, 1), faults: { ...DEFAULT_FAULTS, stationFault: 0.5 }, signing: 'unsigned' });
    const kinds = new Set<string>();
    for (let d = 0; d < 3; d++) {
      for (const { message } of sim.day(d)) {
        kinds.add(message.kind);
        expect(serializeMessage(message)).toBe(JSON.stringify(message));
      }
    }
    expect([...kinds].sort()).toEqual(['metrology-log-entry', 'ocmf-dataset', 'station-fault']);
  });
});
