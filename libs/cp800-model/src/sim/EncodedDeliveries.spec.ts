import { encodeDeliveries, mergeEncoded } from './EncodedDeliveries';
import { serializeMessage } from './serializeMessage';
import type { StationFaultMessage } from './SimulationMessage';
import type { Timed } from './StationAgent';

const fault = (station: number, seq: number, sentAtMs: number, hostMessage = 'ok'): Timed => ({
  sentAtMs,
  message: {
    kind: 'station-fault',
    messageId: `CP-${String(station).padStart(6, '0')}:fault:${seq}`,
    stationId: `CP-${String(station).padStart(6, '0')}`,
    faultId: 'urn:fault:koala:x',
    severity: 'Minor',
    hostMessage,
    state: 'raised',
    at: new Date(sentAtMs).toISOString(),
    sentAt: new Date(sentAtMs).toISOString(),
  } satisfies StationFaultMessage,
});

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('encodeDeliveries', () => {
  it('writes each message as its JSON line, with byte offsets that hold beyond ASCII', () => {
    const timed = [fault(1, 1, 10, 'Défaut de terre — réarmement'), fault(1, 2, 20), fault(1, 3, 30, '漏电 ✓')];
    const e = encodeDeliveries(timed);
    expect(text(e.bytes)).toBe(timed.map((t) => `${serializeMessage(t.message)}\n`).join(''));
    expect([...e.times]).toEqual([10, 20, 30]);
    let start = 0;
    timed.forEach((t, i) => {
      expect(text(e.bytes.subarray(start, e.ends[i]))).toBe(`${JSON.stringify(t.message)}\n`);
      start = e.ends[i];
    });
    expect(e.bytes.byteOffset).toBe(0);
    expect(encodeDeliveries([]).bytes.length).toBe(0);
  });
});

describe('mergeEncoded', () => {
  it('orders by time, and on equal times the lower part (lower station ids) first', () => {
    const a = [fault(1, 1, 10), fault(1, 2, 20), fault(2, 1, 20), fault(2, 2, 40), fault(2, 3, 41)];
    const b = [fault(3, 1, 5), fault(3, 2, 20), fault(4, 1, 30, 'é'), fault(4, 2, 41)];
    const c = [fault(5, 1, 20)];
    const merged = text(mergeEncoded([a, b, c].map(encodeDeliveries)));
    const expected = [...a, ...b, ...c]
      .sort((x, y) => x.sentAtMs - y.sentAtMs || (x.message.messageId < y.message.messageId ? -1 : 1))
      .map((t) => `${serializeMessage(t.message)}\n`)
      .join('');
    expect(merged).toBe(expected);
  });
});
