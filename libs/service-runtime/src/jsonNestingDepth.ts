/**
 * How deeply the JSON text nests objects and arrays, found by one pass over the text without recursion
 * and without parsing (strings and their escapes skipped), so that a message nested thousands of
 * levels deep is refused before anything recursive (class-transformer, class-validator, a verifier)
 * sees it. Stops as soon as the depth exceeds `limit` and returns that depth. The text need not be
 * valid JSON: brackets are counted as they come.
 */
export function jsonNestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth = Math.max(0, depth - 1);
  }
  return deepest;
}
