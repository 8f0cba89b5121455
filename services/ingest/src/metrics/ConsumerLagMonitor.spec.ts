import { ConsumerLagMonitor, type LagAdmin } from './ConsumerLagMonitor';
import type { PartitionLag } from './IngestMetrics';

/** An admin client over given watermarks and committed offsets; `fail` makes the next calls throw. */
function fakeAdmin(watermarks: Record<string, { partition: number; low: string; high: string }[]>, committed: Record<string, { partition: number; offset: string }[]>) {
  const state = { fail: false, connects: 0, disconnects: 0 };
  const admin = (): LagAdmin => ({
    connect: async () => void state.connects++,
    disconnect: async () => void state.disconnects++,
    fetchTopicOffsets: async (topic) => {
      if (state.fail) throw new Error('Connection error: connect ECONNREFUSED');
      if (!watermarks[topic]) throw Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
      return watermarks[topic];
    },
    fetchOffsets: async ({ topics }) => topics.filter((t) => committed[t]).map((topic) => ({ topic, partitions: committed[topic] })),
  });
  return { admin, state };
}

describe('ConsumerLagMonitor', () => {
  const logger = { warn: jest.fn(), log: jest.fn() };

  it('reads the lag per partition: high watermark minus the committed offset, or minus the low watermark where nothing is committed', async () => {
    const { admin } = fakeAdmin(
      { datasets: [{ partition: 0, low: '0', high: '120' }, { partition: 1, low: '40', high: '95' }], log: [{ partition: 0, low: '0', high: '9007199254740993' }] },
      { datasets: [{ partition: 0, offset: '100' }, { partition: 1, offset: '-1' }], log: [{ partition: 0, offset: '9007199254740990' }] },
    );
    const monitor = new ConsumerLagMonitor(admin, 'g-server', ['datasets', 'log', 'faults'], () => undefined, { intervalMs: 1000, logger });
    expect(await monitor.read()).toEqual<PartitionLag[]>([
      { topic: 'datasets', partition: 0, lag: 20 },
      { topic: 'datasets', partition: 1, lag: 55 },
      { topic: 'log', partition: 0, lag: 3 },
    ]);
    await monitor.stop();
  });

  it('reports every interval, says once when the brokers cannot be read, reconnects, and keeps going', async () => {
    jest.useFakeTimers();
    try {
      const { admin, state } = fakeAdmin({ t: [{ partition: 0, low: '0', high: '5' }] }, { t: [{ partition: 0, offset: '2' }] });
      const reports: PartitionLag[][] = [];
      const monitor = new ConsumerLagMonitor(admin, 'g', ['t'], (lag) => reports.push(lag), { intervalMs: 1000, logger });
      monitor.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(reports).toEqual([[{ topic: 't', partition: 0, lag: 3 }]]);
      state.fail = true;
      await jest.advanceTimersByTimeAsync(3000);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('consumer lag cannot be read (metrics keep the last reading): Connection error'));
      state.fail = false;
      await jest.advanceTimersByTimeAsync(1000);
      expect(reports).toHaveLength(2);
      expect(state.connects).toBeGreaterThan(1);
      await monitor.stop();
      expect(state.disconnects).toBeGreaterThan(0);
      await jest.advanceTimersByTimeAsync(5000);
      expect(reports).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
