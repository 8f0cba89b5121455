import { FrameNotStored } from './FramePublisher';
import { GroupCommit } from './GroupCommit';

/** A sender whose batches the test completes by hand. */
function manualSender() {
  const batches: { items: string[]; done: () => void; fail: (e: Error) => void }[] = [];
  const send = (items: string[]) => new Promise<void>((resolve, reject) => batches.push({ items, done: resolve, fail: reject }));
  return { batches, send };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('sends a lone item at once and batches what arrives while a send is in flight, in order', async () => {
    const s = manualSender();
    const g = new GroupCommit<string>(s.send, 0);
    const settled: string[] = [];
    const submit = (x: string) => g.submit(x).then(() => settled.push(x));
    const a = submit('a');
    await tick();
    expect(s.batches.map((b) => b.items)).toEqual([['a']]);
    const rest = ['b', 'c', 'd'].map(submit);
    await tick();
    expect(s.batches).toHaveLength(1);
    expect(settled).toEqual([]);
    s.batches[0].done();
    await a;
    await tick();
    expect(s.batches.map((b) => b.items)).toEqual([['a'], ['b', 'c', 'd']]);
    expect(settled).toEqual(['a']);
    s.batches[1].done();
    await Promise.all(rest);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails every item of a failed batch with FrameNotStored, and carries on with the next', async () => {
    const s = manualSender();
    const g = new GroupCommit<string>(s.send, 0);
    const a = g.submit('a');
    await tick();
    const b = g.submit('b');
    s.batches[0].fail(new Error('KafkaJSConnectionError: Connection error: connect ECONNREFUSED'));
    await expect(a).rejects.toBeInstanceOf(FrameNotStored);
    await expect(a).rejects.toMatchObject({ failure: 'failed', message: expect.stringContaining('ECONNREFUSED') });
    await tick();
    s.batches[1].done();
    await expect(b).resolves.toBeUndefined();
  });

  it('gives up on an item after the timeout; one still waiting is not sent at all', async () => {
    jest.useFakeTimers();
    try {
      const s = manualSender();
      const g = new GroupCommit<string>(s.send, 1000);
      const a = g.submit('a');
      const b = g.submit('b');
      const aDone = expect(a).rejects.toMatchObject({ failure: 'timeout', message: 'Kafka did not acknowledge the frame within 1000 ms; send it again' });
      const bDone = expect(b).rejects.toMatchObject({ failure: 'timeout' });
      jest.advanceTimersByTime(1000);
      await aDone;
      await bDone;
      const c = g.submit('c');
      s.batches[0].done(); // 'a' was in flight; it may still be stored, 'b' never leaves
      for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks only: no timer fires
      s.batches[1].done();
      await expect(c).resolves.toBeUndefined();
      expect(s.batches.map((x) => x.items)).toEqual([['a'], ['c']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('caps a batch at maxBatch items', async () => {
    const s = manualSender();
    const g = new GroupCommit<number>(s.send as never, 0, 2);
    const all = [1, 2, 3, 4, 5].map((n) => g.submit(n));
    for (let i = 0; i < 3; i++) {
      await tick();
      s.batches[i].done();
    }
    await Promise.all(all);
    expect(s.batches.map((b) => b.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('drains: waits for what was submitted, then refuses new items', async () => {
    const s = manualSender();
    const g = new GroupCommit<string>(s.send, 0);
    const a = g.submit('a');
    const b = g.submit('b');
    let drained = false;
    const d = g.drain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    s.batches[0].done();
    await tick();
    await tick();
    expect(drained).toBe(false);
    s.batches[1].done();
    await d;
    await Promise.all([a, b]);
    await expect(g.submit('c')).rejects.toMatchObject({ failure: 'closed' });
  });
});
