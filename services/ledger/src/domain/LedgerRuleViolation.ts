/**
 * A command the ledger refuses, before anything is stored: which rule it breaks and what to change.
 * `rule` is a stable code (for programs), `message` the sentence for a person.
 */
export class LedgerRuleViolation extends Error {
  override readonly name = 'LedgerRuleViolation';

  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Text from outside, quoted and cut to `max` characters, for error messages and logs. */
export function quoteBounded(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value) ?? value);
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} characters)` : text;
  return JSON.stringify(cut);
}
