/** How many characters of outside text a message quotes by default. */
export const QUOTE_LIMIT = 40;

/**
 * Text from outside (a dataset, a key, a command line) as it may appear in a message: quoted and
 * escaped like a JSON string, so control characters and quotes show as what they are, and at most
 * `max` characters of it, with the full length named when it was cut. Every field of a dataset is
 * attacker-influenced text that ends up in a log or in front of a person; a reason never carries
 * more of it than this.
 */
export function quoteBounded(text: string, max = QUOTE_LIMIT): string {
  if (text.length <= max) return JSON.stringify(text);
  let end = max;
  // Do not cut a surrogate pair in two.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${JSON.stringify(text.slice(0, end))}… (${text.length} characters)`;
}
