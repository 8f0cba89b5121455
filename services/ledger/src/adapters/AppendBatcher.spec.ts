import type { AppendResult, NewEvent } from '../ports/EventStore';
import { AppendBatcher, type AppendRequest } from './AppendBatcher';

const ev = (type: string): NewEvent => ({ type, dataText: '{}', recordedAt: '2025-01-01T00:00:00.000Z', prevHash: '0', hash: '1' });

/** A store write that waits until the test lets it finish, and remembers each group it was given. */
function gatedWriter() {
  const groups: string[][] = [];
  const gates: (() => void)[] = [];
  let fail: Error | undefined;
  const write = async (group: readonly AppendRequest[]): Promise<AppendResult[]> => {
    groups.push(group.map((a) => `${a.streamId}@${a.expectedRevision}`));
    await new Promise<void>((r) => gates.push(r));
    if (fail) throw fail;
    return group.map((a) => ({ ok: true, revision: a.expectedRevision + a.events.length }));
  };
  return { write, groups, open: () => gates.shift()?.(), failNext: (e: Error) => (fail = e) };
}

describe('AppendBatcher', () => {
  it('writes an append at once when nothing is being written, and groups those that arrive meanwhile, in order', async () => {
    const w = gatedWriter();
    const b = new AppendBatcher(w.write);
    const first = b.append('a', -1, [ev('A')]);
    const later = [b.append('b', 4, [ev('B')]), b.append('c', 0, [ev('C'), ev('D')]), b.append('a', 0, [ev('E')])];
    expect(w.groups).toEqual([['a@-1']]);
    w.open();
    expect(await first).toEqual({ ok: true, revision: 0 });
    await new Promise((r) => setImmediate(r));
    expect(w.groups).toEqual([['a@-1'], ['b@4', 'c@0', 'a@0']]);
    w.open();
    expect(await Promise.all(later)).toEqual([
      { ok: true, revision: 5 },
      { ok: true, revision: 2 },
      { ok: true, revision: 1 },
    ]);
  });

  it('fails every append of a group whose write fails, and writes the next group after it', async () => {
    const w = gatedWriter();
    const b = new AppendBatcher(w.write);
    void b.append('a', -1, [ev('A')]);
    const group = [b.append('b', -1, [ev('B')]), b.append('c', -1, [ev('C')])];
    w.open();
    await new Promise((r) => setImmediate(r));
    w.failNext(new Error('connection lost'));
    w.open();
    for (const p of group) await expect(p).rejects.toThrow('connection lost');
  });

  it('puts at most maxEvents events in one group; a larger single append goes alone', async () => {
    const w = gatedWriter();
    const b = new AppendBatcher(w.write, 3);
    void b.append('x', -1, [ev('X')]);
    const rest = [b.append('a', -1, [ev('A'), ev('A')]), b.append('b', -1, [ev('B')]), b.append('c', -1, [ev('C')]), b.append('d', -1, [ev('D'), ev('D'), ev('D'), ev('D')])];
    for (let i = 0; i < 4; i++) {
      w.open();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(rest);
    expect(w.groups).toEqual([['x@-1'], ['a@-1', 'b@-1'], ['c@-1'], ['d@-1']]);
  });
});
