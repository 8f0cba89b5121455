/**
 * The first object key that appears twice in the same object of a JSON text, or undefined. JSON.parse
 * keeps the last of duplicate keys where other readers keep the first, so a signed text with one would
 * show different entries to different readers of the same signature. One pass, no recursion; the text
 * must already be known to be JSON (keys are compared after decoding their escapes).
 */
export function firstDuplicateKey(text: string): string | undefined {
  const objects: (Set<string> | null)[] = []; // null: an array
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') objects.push(new Set());
    else if (c === '[') objects.push(null);
    else if (c === '}' || c === ']') objects.pop();
    else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (next < text.length && ' \t\r\n'.includes(text[next])) next++;
      const keys = objects[objects.length - 1];
      if (text[next] === ':' && keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}
