import type { Response } from 'express';

/**
 * Writes lines to the response as they come, waiting whenever the socket's buffer is full, and stops
 * reading the source when the client goes away: a response of any size holds about one buffer in
 * memory. Headers (type, status) must be set before. An error from the source after the first line
 * propagates; the exception filter then cuts the connection, so a truncated export never looks complete.
 */
export async function writeLines(res: Response, lines: AsyncIterable<string> | Iterable<string>): Promise<void> {
  let closed = false;
  const onClose = () => (closed = true);
  res.once('close', onClose);
  try {
    for await (const line of lines) {
      if (closed) return;
      if (!res.write(line)) await drainOrClose(res);
      if (closed) return;
    }
    if (!closed) res.end();
  } finally {
    res.off('close', onClose);
  }
}

function drainOrClose(res: Response): Promise<void> {
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
