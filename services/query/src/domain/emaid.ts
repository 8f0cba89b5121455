/**
 * An e-mobility account identifier (EMAID, the contract id of ISO 15118 and of OCPI `contract_id`),
 * which names its provider without any registration:
 *
 * - ISO 15118-1 / eMI3: country code (2 letters, ISO 3166-1 alpha-2), provider id (3 letters or
 *   digits), eMA instance (9 letters or digits), optional check character: `DE-ABC-C12345678-X`,
 *   `DEABCC12345678X`, `DE*ABC*C12345678*X`;
 * - DIN SPEC 91286: the same with a 6-character instance and a check digit (0-9 or X): `NL-TNM-012204-5`.
 *
 * Separators are `-` or `*`, all or none. Letters are case-insensitive (A = a). The check character
 * is not verified here (its algorithm is in the standards, not needed to name the provider).
 */
export interface Emaid {
  country: string;
  provider: string;
  instance: string;
  check?: string;
  /** The form without separators, upper case: one EMAID however it is written. */
  normalized: string;
}

const ISO_15118 = /^([A-Za-z]{2})([-*]?)([A-Za-z0-9]{3})\2([A-Za-z0-9]{9})(?:\2([A-Za-z0-9]))?$/;
const DIN_91286 = /^([A-Za-z]{2})([-*]?)([A-Za-z0-9]{3})\2([A-Za-z0-9]{6})\2([0-9Xx])$/;

export function parseEmaid(text: string): Emaid | undefined {
  const m = ISO_15118.exec(text) ?? DIN_91286.exec(text);
  if (!m) return undefined;
  const [, country, , provider, instance, check] = m.map((p) => p?.toUpperCase());
  return { country, provider, instance, ...(check ? { check } : {}), normalized: `${country}${provider}${instance}${check ?? ''}` };
}

/**
 * The eMSP id (the `<id>` of QUERY_API_KEYS' `emsp:<id>`) of an EMAID's provider: `<country>-<provider>`,
 * upper case (`DE-ABC-C12345678-X` → `DE-ABC`). An eMSP whose EMAIDs should name it takes that id.
 */
export function emspIdOfEmaid(emaid: Emaid): string {
  return `${emaid.country}-${emaid.provider}`;
}
