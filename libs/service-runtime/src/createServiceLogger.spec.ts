import { Writable } from 'node:stream';
import { createServiceLogger } from './createServiceLogger';

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

describe('createServiceLogger', () => {
  it('writes JSON lines with the level as a word, the service, and never a credential', () => {
    const { out, stream } = lines();
    const log = createServiceLogger('ingest', 'info', stream);
    log.info({ req: { headers: { authorization: 'Bearer s3cr3t-key-0123456789', 'x-api-key': 's3cr3t-key-0123456789', host: 'h' } }, password: 'pw' }, 'hello');
    log.debug('not at info');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ level: 'info', service: 'ingest', msg: 'hello', req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', host: 'h' } }, password: '[redacted]' });
    expect(typeof out[0].time).toBe('string');
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });
});
