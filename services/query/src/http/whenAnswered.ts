import type { ServerResponse } from 'node:http';

/**
 * Calls `done` once, when the answer is complete (`finish`) or the connection closed before
 * (`close`; then `res.writableFinished` is false). One pair of listeners per request for everything
 * that waits for the end of an answer (metrics, request log).
 */
export function whenAnswered(res: ServerResponse, done: (res: ServerResponse) => void): void {
  const finish = () => {
    res.removeListener('finish', finish);
    res.removeListener('close', finish);
    done(res);
  };
  res.on('finish', finish);
  res.on('close', finish);
}
