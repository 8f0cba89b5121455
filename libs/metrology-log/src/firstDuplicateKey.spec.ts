import { firstDuplicateKey } from './firstDuplicateKey';

describe('firstDuplicateKey', () => {
  it.each([
    ['{"seq":1,"seq":2}', 'seq'],
    ['{"a":{"x":1,"x":2}}', 'x'],
    ['{"a":[{"x":1},{"x":2}],"a":3}', 'a'],
    ['{"s\\u0065q":1,"seq":2}', 'seq'],
    ['{ "k" : 1 , "k" : 2 }', 'k'],
  ])('finds the key %j names twice in one object', (text, key) => {
    expect(firstDuplicateKey(text)).toBe(key);
  });

  it.each([['{"seq":1,"time":"2025"}'], ['{"a":{"x":1},"b":{"x":2}}'], ['[{"x":1},{"x":1}]'], ['{"t":"\\"seq\\":1","seq":1}'], ['{"v":["k","k"]}']])('finds none in %j', (text) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });
});
