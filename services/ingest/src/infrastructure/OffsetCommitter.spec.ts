import type { Consumer } from 'kafkajs';
import { OffsetCommitter } from './OffsetCommitter';

describe('OffsetCommitter', () => {
  it('never commits past a message still in flight, whatever the completion order', async () => {
    const commits: string[] = [];
    const consumer = { commitOffsets: async (o: { offset: string }[]) => void commits.push(...o.map((x) => x.offset)) } as unknown as Consumer;
    const c = new OffsetCommitter(() => consumer, 1);
    const slots = ['10', '11', '12', '13'].map((o) => c.started('t', 0, o));
    await c.completed('t', 0, slots[2]);
    await c.completed('t', 0, slots[1]);
    expect(commits).toEqual([]); // 10 is still in flight
    await c.completed('t', 0, slots[0]);
    expect(commits).toEqual(['13']); // 10, 11, 12 done: next to read is 13
    await c.completed('t', 0, slots[3]);
    expect(commits).toEqual(['13', '14']);
  });
});
