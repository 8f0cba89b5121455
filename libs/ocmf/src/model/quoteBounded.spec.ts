import { quoteBounded } from './quoteBounded';

describe('quoteBounded', () => {
  it('quotes short text as a JSON string, control characters and quotes escaped', () => {
    expect(quoteBounded('T15')).toBe('"T15"');
    expect(quoteBounded('a"b\u0001')).toBe('"a\\"b\\u0001"');
  });

  it('quotes at most the limit and names the full length', () => {
    expect(quoteBounded('x'.repeat(100_000))).toBe(`"${'x'.repeat(40)}"… (100000 characters)`);
    expect(quoteBounded('abcdef', 3)).toBe('"abc"… (6 characters)');
  });

  it('does not cut a surrogate pair in two', () => {
    expect(quoteBounded('ab😀cd', 3)).toBe('"ab"… (6 characters)');
  });
});
