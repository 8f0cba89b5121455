import { InvalidCursor } from './InvalidCursor';
import { decodeStreamCursor, encodeStreamCursor } from './StreamCursor';

describe('StreamCursor', () => {
  it('round-trips a stream and revision as an opaque URL-safe text', () => {
    const text = encodeStreamCursor({ streamId: 'datasets/CP-1/abc/T', revision: 42 });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeStreamCursor(text)).toEqual({ streamId: 'datasets/CP-1/abc/T', revision: 42 });
  });

  it.each([
    ['not base64url', 'a+b/c'],
    ['not JSON', Buffer.from('s:12').toString('base64url')],
    ['negative revision', Buffer.from('{"s":"x","r":-1}').toString('base64url')],
    ['unsafe revision', Buffer.from('{"s":"x","r":1e300}').toString('base64url')],
    ['no stream', Buffer.from('{"r":1}').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
  ])('refuses a cursor it did not issue (%s) with InvalidCursor', (_what, text) => {
    expect(() => decodeStreamCursor(text)).toThrow(InvalidCursor);
  });
});
