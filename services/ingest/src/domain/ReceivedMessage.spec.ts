import { createHash } from 'node:crypto';
import { ReceivedMessage } from './ReceivedMessage';

describe('ReceivedMessage', () => {
  it('knows its size in UTF-8 bytes and the SHA-256 of the whole', () => {
    const m = new ReceivedMessage('Zähler €');
    expect(m.bytes).toBe(11);
    expect(m.sha256).toBe(createHash('sha256').update(Buffer.from('Zähler €', 'utf8')).digest('hex'));
    expect(m.contentId).toBe(`sha256:${m.sha256}`);
    expect(m.exceeds(11)).toBe(false);
    expect(m.exceeds(10)).toBe(true);
  });

  it('cuts an excerpt on a character boundary, never inside a multi-byte character', () => {
    const text = `${'a'.repeat(4094)}€€€`; // € is 3 bytes: bytes 4094..4096 are the first one
    const excerpt = new ReceivedMessage(text).excerpt(4096);
    expect(excerpt).toBe('a'.repeat(4094));
    expect(Buffer.byteLength(excerpt!)).toBeLessThanOrEqual(4096);
    const emoji = new ReceivedMessage('😀'.repeat(3000)).excerpt(4096); // 4 bytes each, 2 UTF-16 units
    expect(emoji).toBe('😀'.repeat(1024));
    expect(emoji).not.toContain('\ufffd');
  });

  it('keeps a message within the excerpt size whole', () => {
    expect(new ReceivedMessage('{"a":1}').excerpt(4096)).toBe('{"a":1}');
  });
});

describe('ReceivedMessage from bytes', () => {
  it('hashes and measures the bytes as received, and decodes them strictly', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const m = new ReceivedMessage(bytes);
    expect(m.bytes).toBe(3);
    expect(m.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(m.isUtf8).toBe(false);
    expect(m.text).toBeUndefined();
    expect(m.base64Excerpt(4096)).toBe(bytes.toString('base64'));
  });

  it('reads valid UTF-8 as text, a leading BOM kept as received', () => {
    const text = '\ufeff{"a":"Zähler"}';
    const m = new ReceivedMessage(Buffer.from(text, 'utf8'));
    expect(m.text).toBe(text);
    expect(m.sha256).toBe(new ReceivedMessage(text).sha256);
  });
});
