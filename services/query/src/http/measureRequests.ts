/** Told about every finished request (metrics). */
export interface RequestObserver {
  /** `route` is the route template, or `unmatched`; `aborted` when the client went away before the answer was complete. */
  requestDone(method: string, route: string, status: number | 'aborted', seconds: number): void;
}

interface MeasuredRequest {
  method: string;
  route?: { path?: unknown };
}

interface MeasuredResponse {
  statusCode: number;
  writableFinished?: boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Express middleware timing each request from its arrival to the end of its answer, labelled by the
 * route template Express matched (`req.route.path`, so `/emsp/sessions/:transactionId`, never the
 * ids in the path: bounded label values) and the status; a request no route took (404, a body
 * refused before routing) is `unmatched`.
 */
export function measureRequests(observer: RequestObserver) {
  return (req: MeasuredRequest, res: MeasuredResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const path = req.route?.path;
      observer.requestDone(req.method, typeof path === 'string' ? path : 'unmatched', aborted ? 'aborted' : res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(res.writableFinished !== true));
    next();
  };
}
