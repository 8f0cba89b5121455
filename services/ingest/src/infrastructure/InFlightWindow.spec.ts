import { InFlightWindow } from './InFlightWindow';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { task: () => done, open, fail };
}

const settled = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('InFlightWindow', () => {
  it('runs up to its limit at once and holds the submitter back until a place is free', async () => {
    const w = new InFlightWindow(2, () => undefined);
    const [a, b, c] = [gate(), gate(), gate()];
    expect(await settled(w.submit(a.task))).toBe('resolved');
    const second = w.submit(b.task);
    expect(await settled(second)).toBe('pending'); // two running: the transport waits
    expect(w.size).toBe(2);
    b.open();
    expect(await settled(second)).toBe('resolved');
    expect(w.size).toBe(1);
    const third = w.submit(c.task);
    expect(await settled(third)).toBe('pending');
    a.open();
    expect(await settled(third)).toBe('resolved');
    c.open();
    await w.drain();
    expect(w.size).toBe(0);
  });

  it('drains only when every task has finished, including tasks submitted while draining', async () => {
    const w = new InFlightWindow(4, () => undefined);
    const [a, b] = [gate(), gate()];
    await w.submit(a.task);
    const drained = w.drain();
    await w.submit(b.task);
    a.open();
    expect(await settled(drained)).toBe('pending');
    b.open();
    expect(await settled(drained)).toBe('resolved');
  });

  it('hands a failed task to onError and frees its place', async () => {
    const errors: unknown[] = [];
    const w = new InFlightWindow(1, (e) => errors.push(e));
    const a = gate();
    const first = w.submit(a.task);
    a.fail(new Error('commit failed'));
    await first;
    expect(errors).toEqual([new Error('commit failed')]);
    expect(w.size).toBe(0);
    await w.drain();
  });

  it('starts a task at once and frees its place after a synchronous throw too', async () => {
    const errors: unknown[] = [];
    const w = new InFlightWindow(1, (e) => errors.push(e));
    let started = false;
    const submitted = w.submit(() => {
      started = true;
      throw new Error('thrown before any await');
    });
    expect(started).toBe(true);
    await submitted;
    expect(errors).toEqual([new Error('thrown before any await')]);
    expect(w.size).toBe(0);
  });

  it('lets every submitter that waited for room go on once a place is free, and drains after', async () => {
    const w = new InFlightWindow(1, () => undefined);
    const [a, b, c] = [gate(), gate(), gate()];
    const first = w.submit(a.task);
    const second = w.submit(b.task);
    const third = w.submit(c.task);
    expect(await settled(first)).toBe('pending');
    expect(w.size).toBe(3);
    b.open();
    c.open();
    expect(await settled(second)).toBe('pending'); // one still running: no room below the limit
    a.open();
    expect([await settled(first), await settled(second), await settled(third)]).toEqual(['resolved', 'resolved', 'resolved']);
    expect(await settled(w.drain())).toBe('resolved');
  });

  it('refuses a limit below one', () => {
    expect(() => new InFlightWindow(0, () => undefined)).toThrow(RangeError);
  });
});
