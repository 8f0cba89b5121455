/** What `npm run chaos -- …` asks for. */
export interface ChaosArguments {
  /** Scenario names in the order to run, or every one for `all`. */
  scenario: string;
  /** Traffic time per scenario; undefined: the short form (CI). */
  minutes?: number;
  seed: number;
}

export type ChaosArgumentsParse = { ok: true; args: ChaosArguments } | { ok: false; reason: string };

export const CHAOS_USAGE = 'usage: npm run --silent chaos -- --scenario <name>|all [--minutes M] [--seed S]';

/** Reads `--scenario <name>|all [--minutes M] [--seed S]`; `known` are the scenario names. */
export function parseChaosArguments(argv: string[], known: readonly string[]): ChaosArgumentsParse {
  const out: Partial<ChaosArguments> = { seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!['--scenario', '--minutes', '--seed'].includes(flag)) return { ok: false, reason: `unknown argument "${flag.slice(0, 40)}"; ${CHAOS_USAGE}` };
    if (value === undefined) return { ok: false, reason: `${flag} needs a value; ${CHAOS_USAGE}` };
    i++;
    if (flag === '--scenario') {
      if (value !== 'all' && !known.includes(value)) return { ok: false, reason: `unknown scenario "${value.slice(0, 40)}"; known: all, ${known.join(', ')}` };
      out.scenario = value;
    } else if (flag === '--minutes') {
      const m = Number(value);
      if (!Number.isFinite(m) || m <= 0 || m > 120) return { ok: false, reason: `--minutes must be a number of minutes above 0 and at most 120, not "${value.slice(0, 40)}"` };
      out.minutes = m;
    } else {
      const s = Number(value);
      if (!Number.isSafeInteger(s) || s < 0) return { ok: false, reason: `--seed must be a whole number from 0, not "${value.slice(0, 40)}"` };
      out.seed = s;
    }
  }
  if (out.scenario === undefined) return { ok: false, reason: `--scenario is required; ${CHAOS_USAGE}` };
  return { ok: true, args: out as ChaosArguments };
}
