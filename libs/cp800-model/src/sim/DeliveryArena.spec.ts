import { DeliveryArena } from './DeliveryArena';
import type { StationFaultMessage } from './SimulationMessage';

const fault = (station: number, seq: number, hostMessage = 'ok'): StationFaultMessage => ({
  kind: 'station-fault',
  messageId: `CP-${String(station).padStart(6, '0')}:fault:${seq}`,
  stationId: `CP-${String(station).padStart(6, '0')}`,
  faultId: 'urn:fault:koala:x',
  severity: 'Minor',
  hostMessage,
  state: 'raised',
  at: '2025-01-01T00:00:00.000Z',
  sentAt: '2025-01-01T00:00:00.000Z',
});

const lines = (b: Uint8Array) => Buffer.from(b).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l).messageId as string);

describe('DeliveryArena', () => {
  it('releases what is due in order of time, then message id (as text), and keeps the rest for later', () => {
    const arena = new DeliveryArena();
    arena.add(50, fault(2, 10));
    arena.add(20, fault(1, 1, 'Défaut — réarmement'));
    arena.add(50, fault(2, 9)); // "9" after "10" as text
    arena.add(500, fault(3, 1, '漏电 ✓'));
    arena.add(20, fault(0, 7));
    const first = arena.release(100);
    expect(lines(first.bytes)).toEqual(['CP-000000:fault:7', 'CP-000001:fault:1', 'CP-000002:fault:10', 'CP-000002:fault:9']);
    expect([...first.times]).toEqual([20, 20, 50, 50]);
    expect(first.ends[first.ends.length - 1]).toBe(first.bytes.length);
    expect(Buffer.from(first.bytes.subarray(first.ends[0], first.ends[1])).toString('utf8')).toBe(`${JSON.stringify(fault(1, 1, 'Défaut — réarmement'))}\n`);
    expect(arena.size).toBe(1);
    arena.add(400, fault(4, 1));
    const second = arena.release(Infinity);
    expect(lines(second.bytes)).toEqual(['CP-000004:fault:1', 'CP-000003:fault:1']);
    expect(Buffer.from(second.bytes).toString('utf8').endsWith(`${JSON.stringify(fault(3, 1, '漏电 ✓'))}\n`)).toBe(true);
    expect(arena.size).toBe(0);
    expect(arena.release(Infinity).bytes.length).toBe(0);
  });

  it('grows past its first megabyte without losing a line', () => {
    const arena = new DeliveryArena();
    const long = 'x'.repeat(5000);
    for (let i = 0; i < 600; i++) arena.add(i, fault(i, 1, long));
    const out = arena.release(Infinity);
    expect(out.times.length).toBe(600);
    expect(lines(out.bytes)).toEqual(Array.from({ length: 600 }, (_, i) => `CP-${String(i).padStart(6, '0')}:fault:1`));
  });

  it('releases day by day what a sort of all lines by (time, id) gives, whatever stays behind', () => {
    const arena = new DeliveryArena();
    const all: { t: number; m: StationFaultMessage }[] = [];
    let seq = 0;
    const released: string[] = [];
    for (let day = 0; day < 5; day++) {
      for (let k = 0; k < 700; k++) {
        // Some due within the day, some one to three days later; equal times among them.
        const t = day * 1000 + Math.floor(((k * 7919) % 3000) / 3) * (k % 5 === 0 ? 3 : 1);
        const m = fault(k % 13, ++seq, k % 17 === 0 ? 'é' : 'ok');
        all.push({ t, m });
        arena.add(t, m);
      }
      released.push(...lines(arena.release(day === 4 ? Infinity : (day + 1) * 1000).bytes));
    }
    const expected = [...all].sort((a, b) => a.t - b.t || (a.m.messageId < b.m.messageId ? -1 : 1));
    // Each day released what was due before its end, in order: overall, the order of (release day, time, id).
    const dayOf = (t: number) => Math.min(4, Math.floor(t / 1000));
    const byDay = [...expected].sort((a, b) => Math.max(dayOf(a.t), 0) - Math.max(dayOf(b.t), 0));
    expect(released).toEqual(byDay.map((e) => e.m.messageId));
    expect(arena.size).toBe(0);
  });

  it('writes a released day into a buffer handed back, when it is large enough', () => {
    const arena = new DeliveryArena();
    for (let i = 0; i < 50; i++) arena.add(i, fault(i, 1));
    const first = arena.release(Infinity);
    const text = Buffer.from(first.bytes).toString('utf8');
    arena.recycle(first.bytes.buffer);
    for (let i = 0; i < 40; i++) arena.add(i, fault(i, 2));
    const second = arena.release(Infinity);
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(lines(second.bytes)).toEqual(Array.from({ length: 40 }, (_, i) => `CP-${String(i).padStart(6, '0')}:fault:2`));
    expect(text.split('\n')).toHaveLength(51);
    arena.recycle(new ArrayBuffer(10)); // too small: a new buffer
    for (let i = 0; i < 40; i++) arena.add(i, fault(i, 3));
    const third = arena.release(Infinity);
    expect(third.bytes.buffer.byteLength).toBeGreaterThanOrEqual(third.bytes.length);
    expect(lines(third.bytes)).toHaveLength(40);
  });
});
