/** The part of Node's response (`ServerResponse`) the writer uses. */
export interface LineSink {
  write(data: string | Buffer): boolean;
  end(): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Lines are gathered into writes of about this many characters: one write per line costs more than the line (a chunk header each, a call into the socket each). */
export const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * Writes lines to the response as they come, gathered into chunks of about `chunkChars` characters
 * (bytes from the source are written as given, after what is pending),
 * waiting whenever the socket's buffer is full, and stops reading the source when the client goes
 * away: a response of any size holds about one buffer and one chunk in memory. Headers (type, status)
 * must be set before, on the Node response (the handler takes it over from Fastify: `streamFrom`). An error from the source after the first chunk was written propagates; the
 * exception filter then cuts the connection, so a truncated export never looks complete.
 */
export async function writeLines(res: LineSink, lines: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, chunkChars = WRITE_CHUNK_CHARS): Promise<void> {
  let closed = false;
  const onClose = () => (closed = true);
  res.once('close', onClose);
  let chunk = '';
  const write = async (data: string | Buffer) => {
    if (!res.write(data)) await drainOrClose(res);
  };
  const flush = async () => {
    const text = chunk;
    chunk = '';
    await write(text);
  };
  try {
    for await (const line of lines) {
      if (closed) return;
      if (typeof line === 'string') {
        chunk += line;
        if (chunk.length >= chunkChars) await flush();
      } else {
        // Bytes already gathered by the source: what is pending first, then these as they are.
        if (chunk.length > 0) await flush();
        if (!closed) await write(line);
      }
      if (closed) return;
    }
    if (chunk.length > 0) await flush();
    if (!closed) res.end();
  } finally {
    res.off('close', onClose);
  }
}

function drainOrClose(res: LineSink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
