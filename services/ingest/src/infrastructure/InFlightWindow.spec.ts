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

  it('refuses a limit below one', () => {
    expect(() => new InFlightWindow(0, () => undefined)).toThrow(RangeError);
  });
});
