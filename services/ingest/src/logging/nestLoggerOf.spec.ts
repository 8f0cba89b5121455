import { Writable } from 'node:stream';
import { createServiceLogger } from '@metrology-ledger/service-runtime';
import { nestLoggerOf } from './nestLoggerOf';

/** A destination collecting the JSON lines. */
function lines() {
  const out: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) out.push(JSON.parse(line));
      done();
    },
  });
  return { out, stream };
}

describe('nestLoggerOf', () => {
  it("carries Nest's logger: the context, and the fields of an object message", () => {
    const { out, stream } = lines();
    const nest = nestLoggerOf(createServiceLogger('ingest', 'debug', stream));
    nest.log({ msg: 'rejected kafka:t/1@9: invalid-signature', stationId: 'CP-7', messageId: 'CP-7:ocmf:3', topic: 't', partition: 1, offset: '9' }, 'ingest');
    nest.warn('Kafka not ready', 'ingest');
    expect(out).toEqual([
      expect.objectContaining({ level: 'info', context: 'ingest', msg: 'rejected kafka:t/1@9: invalid-signature', stationId: 'CP-7', messageId: 'CP-7:ocmf:3', topic: 't', partition: 1, offset: '9' }),
      expect.objectContaining({ level: 'warn', context: 'ingest', msg: 'Kafka not ready' }),
    ]);
  });

});
