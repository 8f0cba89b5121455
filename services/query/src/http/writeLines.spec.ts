import { EventEmitter } from 'node:events';
import { writeLines, type LineSink } from './writeLines';

/** A response whose socket buffer is always full: every write asks the writer to wait for `drain`. */
class SlowResponse extends EventEmitter {
  readonly written: string[] = [];
  ended = false;
  write(chunk: string): boolean {
    this.written.push(chunk);
    return false;
  }
  end(): void {
    this.ended = true;
  }
}

describe('writeLines', () => {
  it('waits for drain between lines and ends the response', async () => {
    const res = new SlowResponse();
    const done = writeLines(res as unknown as LineSink, ['a\n', 'b\n'], 1);
    await new Promise((r) => setImmediate(r));
    expect(res.written).toEqual(['a\n']);
    res.emit('drain');
    await new Promise((r) => setImmediate(r));
    res.emit('drain');
    await done;
    expect(res.written).toEqual(['a\n', 'b\n']);
    expect(res.ended).toBe(true);
  });

  it('gathers short lines into chunks of about the size given, and writes what is left at the end', async () => {
    const res = new SlowResponse();
    res.write = function (chunk: string) {
      this.written.push(chunk);
      return true;
    };
    await writeLines(res as unknown as LineSink, ['ab\n', 'cd\n', 'ef\n', 'g\n'], 6);
    expect(res.written).toEqual(['ab\ncd\n', 'ef\ng\n']);
    expect(res.ended).toBe(true);
  });

  it('writes bytes from the source as they are, after the text pending before them', async () => {
    const res = new SlowResponse();
    const written: (string | Buffer)[] = [];
    (res as unknown as { write: (c: string | Buffer) => boolean }).write = (chunk) => (written.push(chunk), true);
    await writeLines(res as unknown as LineSink, ['a\n', Buffer.from('b\nc\n'), 'd\n'], 100);
    expect(written.map((c) => c.toString())).toEqual(['a\n', 'b\nc\n', 'd\n']);
    expect(Buffer.isBuffer(written[1])).toBe(true);
  });

  it('stops reading the source when the client goes away, instead of waiting for a drain that never comes', async () => {
    const res = new SlowResponse();
    let pulled = 0;
    async function* source() {
      for (;;) {
        pulled++;
        yield 'line\n';
      }
    }
    const done = writeLines(res as unknown as LineSink, source(), 1);
    await new Promise((r) => setImmediate(r));
    res.emit('close');
    await done;
    expect(pulled).toBe(1);
    expect(res.ended).toBe(false);
    expect(res.listenerCount('close')).toBe(0);
    expect(res.listenerCount('drain')).toBe(0);
  });
});
