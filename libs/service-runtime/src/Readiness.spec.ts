import { Readiness } from './Readiness';

describe('Readiness', () => {
  it('is ready when no part holds it back, and says why not otherwise, part by part', () => {
    const r = new Readiness();
    expect(r.state).toEqual({ ready: true });
    r.fail('kafka', 'joining consumer group g-server');
    r.fail('ledger', 'cannot record, retrying');
    r.fail('kafka', 'retry 2 in 1 s');
    expect(String(r)).toBe('not ready: kafka: retry 2 in 1 s; ledger: cannot record, retrying');
    r.ok('kafka');
    r.ok('ledger');
    expect(String(r)).toBe('ready');
  });
});
