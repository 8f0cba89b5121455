import fc from 'fast-check';

/** A number as a meter may write it: a plain double, an integer, or text a double cannot hold. */
const numberText = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1e7, noNaN: true }).map((d) => String(d)) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 99_999_999 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '1e-400', '0.000', '12345678901234567890123456789012345', '0100.5') },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 400 }).map((n) => '7'.repeat(n)) },
);

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30, unit: 'grapheme' }), fc.constantFrom('', 'a|b', '|{"SD":"00"}', 'OCMF|', '"}', '\\', 'Tarif 1 | 0,39 €/kWh'));

const reading = fc.record({
  TM: fc.oneof(fc.constant('2025-06-03T07:48:45,000+0000 S'), fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => `${d.toISOString().slice(0, 19)},000+0000 ${'USIR'[d.getUTCSeconds() % 4]}`), text),
  TX: fc.constantFrom('B', 'C', 'X', 'E', 'L', 'R', 'A', 'P', 'S', 'T', 'Q'),
  RV: numberText,
  RI: fc.constantFrom('1-b:1.8.0', '1-b:2.8.0', '01-00:01.08.00*FF', ''),
  RU: fc.constantFrom('kWh', 'Wh', 'mOhm', 'uOhm', ''),
  RT: fc.constantFrom('AC', 'DC'),
  CL: fc.option(numberText, { nil: undefined }),
  EF: fc.constantFrom('', 'E', 't', 'Et'),
  ST: fc.constantFrom('G', 'T', 'D', 'R', 'M', 'X', 'I', 'O', 'S', 'E', 'F'),
});

/**
 * Payload text of a dataset a meter could sign: the OCMF fields with values in and out of the
 * spec's code lists, readings whose numbers may be huge, vendor fields of any JSON, written compact
 * or with the CP800's spaces. Numbers are spliced in as written (never through a double).
 */
export const freshPayload: fc.Arbitrary<string> = fc
  .record({
    FV: fc.constantFrom('1.0', '1.3', '0.4', '2.0'),
    GI: text,
    GS: text,
    PG: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => `T${n}`), fc.tuple(fc.nat(), fc.string({ maxLength: 12 })).map(([n, s]) => `T${n}-${s}`), fc.nat().map((n) => `F${n}`), text),
    MS: text,
    IS: fc.boolean(),
    IT: fc.constantFrom('NONE', 'ISO14443', 'ISO15693', 'EMAID', 'CENTRAL', 'PHONE_NUMBER', 'X'),
    ID: text,
    TT: text,
    RD: fc.array(reading, { minLength: 1, maxLength: 6 }),
    vendor: fc.dictionary(fc.stringMatching(/^[A-Z]{2,4}$/), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
    spaced: fc.boolean(),
  })
  .map(({ vendor, spaced, RD, ...fields }) => {
    const numbers: string[] = [];
    const placeholder = (n: string) => `\u0000N${numbers.push(n) - 1}\u0000`;
    const rd = RD.map(({ RV, CL, ...r }) => ({ ...r, RV: placeholder(RV), ...(CL === undefined ? {} : { CL: placeholder(CL) }) }));
    const json = JSON.stringify({ ...vendor, ...fields, RD: rd }, null, spaced ? 1 : undefined);
    const compact = spaced ? json.replace(/\n\s*/g, ' ') : json;
    return compact.replace(/"\\u0000N(\d+)\\u0000"/g, (_, i: string) => numbers[Number(i)]);
  });
