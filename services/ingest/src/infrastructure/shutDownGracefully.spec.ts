import { shutDownGracefully, type ShutdownSteps } from './shutDownGracefully';

function steps(overrides: Partial<ShutdownSteps> = {}) {
  const order: string[] = [];
  const base: ShutdownSteps = {
    stopTakingWork: () => void order.push('stop taking work'),
    drain: async () => void order.push('drain'),
    giveUpRetries: () => void order.push('give up retries'),
    commit: async () => void order.push('commit'),
    leaveGroup: async () => void order.push('leave group'),
    closeConnections: async () => void order.push('close connections'),
  };
  return { order, steps: { ...base, ...overrides } };
}

describe('shutDownGracefully', () => {
  const logger = { log: jest.fn(), warn: jest.fn() };

  it('stops taking work, drains, commits, leaves the group and closes, in that order', async () => {
    const { order, steps: s } = steps();
    expect(await shutDownGracefully(s, { graceMs: 1_000, logger })).toEqual({ clean: true, late: [] });
    expect(order).toEqual(['stop taking work', 'drain', 'commit', 'leave group', 'close connections']);
  });

  it('gives up the retries of what the store cannot take before the grace period ends, then still commits and leaves in time', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const { order, steps: s } = steps({
      drain: () => (order.push('drain'), stuck),
      giveUpRetries: () => {
        order.push('give up retries');
        release();
      },
    });
    const started = Date.now();
    const report = await shutDownGracefully(s, { graceMs: 1_000, logger });
    const took = Date.now() - started;
    expect(report).toEqual({ clean: true, late: [] });
    expect(order).toEqual(['stop taking work', 'drain', 'give up retries', 'drain', 'commit', 'leave group', 'close connections']);
    expect(took).toBeGreaterThanOrEqual(790);
    expect(took).toBeLessThan(1_000);
  });

  it('reports the steps that did not finish within the grace period, and returns at its end', async () => {
    const { steps: s } = steps({ leaveGroup: () => new Promise(() => undefined) });
    const started = Date.now();
    expect(await shutDownGracefully(s, { graceMs: 300, logger })).toEqual({ clean: false, late: ['leaving the consumer group'] });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('goes on after a failing step, saying which', async () => {
    const { order, steps: s } = steps({ commit: async () => Promise.reject(new Error('The coordinator is not aware of this member')) });
    expect((await shutDownGracefully(s, { graceMs: 1_000, logger })).clean).toBe(true);
    expect(order).toEqual(['stop taking work', 'drain', 'leave group', 'close connections']);
    expect(logger.warn).toHaveBeenCalledWith('shutdown: committing offsets failed: The coordinator is not aware of this member');
  });
});
