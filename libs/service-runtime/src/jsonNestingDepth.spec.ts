import { jsonNestingDepth } from './jsonNestingDepth';

describe('jsonNestingDepth', () => {
  it('counts objects and arrays, not brackets inside strings or after escapes', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a":[{"b":1}],"c":{}}')).toBe(3);
    expect(jsonNestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"\\"[[[[","b":[1]}')).toBe(2);
    expect(jsonNestingDepth('{"a":"\\\\","b":[[1]]}')).toBe(3);
  });

  it('stops as soon as the limit is passed, without recursion', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(jsonNestingDepth(deep, 32)).toBe(33);
    expect(jsonNestingDepth(deep)).toBe(1_000_000);
  });
});
