import { END_READING_TYPES, type ReadingType } from '../model/CodeLists';
import { compareDecimal, MAX_DECIMAL_DIGITS, subtractDecimal } from '../model/DecimalText';
import type { DecimalValue, OcmfPayload, OcmfReading } from '../model/OcmfDataset';
import { quoteBounded } from '../model/quoteBounded';

export type SessionShape = 'complete' | 'begin-only' | 'end-only' | 'intermediate-only' | 'disordered';

export interface DeliveredEnergy {
  unit: string;
  obis?: string;
  begin: DecimalValue;
  end: DecimalValue;
  /** end - begin, exact. On meters with cable-loss compensation both values are already compensated. */
  delivered: DecimalValue;
  /** CL of the begin and end readings, when the meter reports them. */
  cumulatedLossBegin?: DecimalValue;
  cumulatedLossEnd?: DecimalValue;
}

export interface ReadingFlag {
  reading: number;
  kind: 'energy-error' | 'time-error' | 'meter-status' | 'time-not-synchronized' | 'exception';
  message: string;
}

export interface SessionCheck {
  shape: SessionShape;
  /** Order problems: more than one begin, end not last, etc. */
  orderProblems: string[];
  flags: ReadingFlag[];
  /** Present when the dataset holds a begin and an end reading of the same quantity. */
  energy?: DeliveredEnergy;
  /** Why no energy figure is given, when there is none. */
  energyWithheld?: string;
}

const INTERMEDIATE: readonly string[] = ['C', 'X', 'S', 'T'];

/**
 * Checks the readings of one dataset as a session: one begin first, one end last, intermediates
 * between; reports EF (E = energy error, t = time error), meter states other than G and
 * unsynchronised clocks; gives delivered energy only when both ends are usable.
 */
export function checkSession(payload: OcmfPayload): SessionCheck {
  const readings = payload.readings;
  const orderProblems: string[] = [];
  const flags: ReadingFlag[] = [];
  const types = readings.map((r) => r.type);
  const begins = indexesOf(types, (t) => t === 'B');
  const ends = indexesOf(types, (t) => t !== undefined && END_READING_TYPES.includes(t as ReadingType));
  const last = readings.length - 1;

  if (begins.length > 1) orderProblems.push(`${begins.length} begin readings (TX=B); one is allowed`);
  if (begins.length === 1 && begins[0] !== 0) orderProblems.push(`begin reading is RD[${begins[0]}], not the first`);
  if (ends.length > 1) orderProblems.push(`${ends.length} end readings; one is allowed`);
  if (ends.length === 1 && ends[0] !== last) orderProblems.push(`end reading is RD[${ends[0]}], not the last`);
  types.forEach((t, i) => {
    if (t !== undefined && t !== 'B' && !END_READING_TYPES.includes(t as ReadingType) && !INTERMEDIATE.includes(t)) {
      orderProblems.push(`RD[${i}] has unknown reading type ${quoteBounded(t)}`);
    }
  });

  let exceptionFrom: number | undefined;
  for (const r of readings) {
    for (const f of r.errorFlags) {
      if (f === 'E') flags.push({ reading: r.index, kind: 'energy-error', message: `RD[${r.index}]: energy error (EF E)` });
      else if (f === 't') flags.push({ reading: r.index, kind: 'time-error', message: `RD[${r.index}]: time error (EF t)` });
    }
    if (r.status !== undefined && r.status !== 'G') {
      flags.push({ reading: r.index, kind: 'meter-status', message: `RD[${r.index}]: meter state ${r.status}, not G (OK)` });
    }
    const ts = r.time?.status;
    if (ts === 'U' || ts === 'I') {
      flags.push({
        reading: r.index,
        kind: 'time-not-synchronized',
        message: `RD[${r.index}]: clock ${ts === 'U' ? 'unsynchronised' : 'informative only'} (${ts})`,
      });
    }
    if (r.type === 'X' && exceptionFrom === undefined) {
      exceptionFrom = r.index;
      flags.push({ reading: r.index, kind: 'exception', message: `RD[${r.index}]: exception, values unusable from here on` });
    }
  }

  let shape: SessionShape;
  if (orderProblems.length > 0) shape = 'disordered';
  else if (begins.length === 1 && ends.length === 1) shape = 'complete';
  else if (begins.length === 1) shape = 'begin-only';
  else if (ends.length === 1) shape = 'end-only';
  else shape = 'intermediate-only';

  const result: SessionCheck = { shape, orderProblems, flags };
  if (shape !== 'complete') {
    result.energyWithheld = shape === 'disordered' ? 'readings are not in a valid order' : `dataset is ${shape}`;
    return result;
  }
  const begin = readings[begins[0]];
  const end = readings[ends[0]];
  const withheld = energyProblem(begin, end, exceptionFrom, flags);
  if (withheld) {
    result.energyWithheld = withheld;
    return result;
  }
  const delivered = subtractDecimal(end.value as DecimalValue, begin.value as DecimalValue);
  if (!delivered) {
    // Only reachable with a payload built by hand: the parser gives exact decimals of bounded length.
    result.energyWithheld = `begin or end value is not an exact decimal of at most ${MAX_DECIMAL_DIGITS} digits, so end - begin cannot be computed exactly`;
    return result;
  }
  const energy: DeliveredEnergy = {
    unit: end.unit as string,
    begin: begin.value as DecimalValue,
    end: end.value as DecimalValue,
    delivered,
  };
  if (end.obis !== undefined) energy.obis = end.obis;
  if (begin.cumulatedLoss) energy.cumulatedLossBegin = begin.cumulatedLoss;
  if (end.cumulatedLoss) energy.cumulatedLossEnd = end.cumulatedLoss;
  result.energy = energy;
  return result;
}

function energyProblem(
  begin: OcmfReading,
  end: OcmfReading,
  exceptionFrom: number | undefined,
  flags: ReadingFlag[],
): string | undefined {
  for (const r of [begin, end]) {
    if (!r.value) return r.valueUnusable !== undefined ? `RD[${r.index}]: ${r.valueUnusable}` : `RD[${r.index}] has no value (RV)`;
  }
  if (begin.unit !== end.unit) return `units differ (${begin.unit} vs ${end.unit})`;
  if (begin.obis !== end.obis) return `quantities differ (${begin.obis} vs ${end.obis})`;
  if (exceptionFrom !== undefined) return `exception reading RD[${exceptionFrom}] makes the energy unusable`;
  const bad = flags.find(
    (f) => (f.reading === begin.index || f.reading === end.index) && (f.kind === 'energy-error' || f.kind === 'meter-status'),
  );
  if (bad) return bad.message;
  if ((compareDecimal(end.value as DecimalValue, begin.value as DecimalValue) ?? 0) < 0) return 'end reading is below the begin reading';
  return undefined;
}

function indexesOf<T>(xs: readonly T[], pred: (x: T) => boolean): number[] {
  const out: number[] = [];
  xs.forEach((x, i) => pred(x) && out.push(i));
  return out;
}
