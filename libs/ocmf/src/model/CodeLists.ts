/**
 * The closed value sets of the OCMF specification (SAFE e.V., OCMF-en.md, tables 7 and 10 to 21).
 * Each list is the spec's complete set; a value outside it is reported as a finding, never dropped.
 */

/** TX, reason of a reading (table 7). */
export const READING_TYPES = {
  B: 'begin of transaction',
  C: 'charging (during the transaction)',
  X: 'exception: time and/or energy no longer usable from this reading on',
  E: 'end of transaction',
  L: 'end: terminated locally',
  R: 'end: terminated remotely',
  A: 'end: aborted by error',
  P: 'end: terminated by power failure',
  S: 'suspended: transaction active, not charging',
  T: 'tariff change',
} as const;
export type ReadingType = keyof typeof READING_TYPES;
/** The TX values that close a transaction. */
export const END_READING_TYPES: readonly ReadingType[] = ['E', 'L', 'R', 'A', 'P'];

/** ST, state of the meter at the reading (table 10). */
export const METER_STATUSES = {
  N: 'NOT_PRESENT',
  G: 'OK',
  T: 'TIMEOUT',
  D: 'DISCONNECTED',
  R: 'NOT_FOUND',
  M: 'MANIPULATED',
  X: 'EXCHANGED',
  I: 'INCOMPATIBLE',
  O: 'OUT_OF_RANGE',
  S: 'SUBSTITUTE',
  E: 'OTHER_ERROR',
  F: 'READ_ERROR',
} as const;
export type MeterStatus = keyof typeof METER_STATUSES;

/** EF, error flags: each character names a quantity no longer usable for billing (table 7). */
export const ERROR_FLAGS = { E: 'energy', t: 'time' } as const;
export type ErrorFlag = keyof typeof ERROR_FLAGS;

/** IL, identification level (table 11). */
export const IDENTIFICATION_LEVELS = [
  'NONE',
  'HEARSAY',
  'TRUSTED',
  'VERIFIED',
  'CERTIFIED',
  'SECURE',
  'MISMATCH',
  'INVALID',
  'OUTDATED',
  'UNKNOWN',
] as const;
export type IdentificationLevel = (typeof IDENTIFICATION_LEVELS)[number];

/** IF, identification flags, grouped as in tables 13 to 16. */
export const IDENTIFICATION_FLAGS = {
  RFID: ['RFID_NONE', 'RFID_PLAIN', 'RFID_RELATED', 'RFID_PSK'],
  OCPP: [
    'OCPP_NONE',
    'OCPP_RS',
    'OCPP_AUTH',
    'OCPP_RS_TLS',
    'OCPP_AUTH_TLS',
    'OCPP_CACHE',
    'OCPP_WHITELIST',
    'OCPP_CERTIFIED',
  ],
  ISO15118: ['ISO15118_NONE', 'ISO15118_PNC'],
  PLMN: ['PLMN_NONE', 'PLMN_RING', 'PLMN_SMS'],
} as const;
export type IdentificationFlag = (typeof IDENTIFICATION_FLAGS)[keyof typeof IDENTIFICATION_FLAGS][number];
export const ALL_IDENTIFICATION_FLAGS: readonly string[] = Object.values(IDENTIFICATION_FLAGS).flat();

/** IT, identification type (table 17), with the spec's numeric token. */
export const IDENTIFICATION_TYPES = {
  NONE: 0,
  DENIED: 1,
  UNDEFINED: 2,
  ISO14443: 10,
  ISO15693: 11,
  EMAID: 20,
  EVCCID: 21,
  EVCOID: 30,
  ISO7812: 40,
  CARD_TXN_NR: 50,
  CENTRAL: 60,
  CENTRAL_1: 61,
  CENTRAL_2: 62,
  LOCAL: 70,
  LOCAL_1: 71,
  LOCAL_2: 72,
  PHONE_NUMBER: 80,
  KEY_CODE: 90,
} as const;
export type IdentificationType = keyof typeof IDENTIFICATION_TYPES;

/** CT, charge point identification type (table 18). */
export const CHARGE_POINT_ID_TYPES = ['EVSEID', 'CBIDC'] as const;
export type ChargePointIdType = (typeof CHARGE_POINT_ID_TYPES)[number];

/** TM sync status letter (table 19). */
export const TIME_STATUSES = {
  U: 'unknown, unsynchronized',
  I: 'informative (info clock)',
  S: 'synchronized',
  R: 'relative time accounting with a legally accurate duration',
} as const;
export type TimeStatus = keyof typeof TIME_STATUSES;

/** RU / LU units (table 20). */
export const UNITS = ['kWh', 'Wh', 'mOhm', 'uOhm'] as const;
export type Unit = (typeof UNITS)[number];
export const ENERGY_UNITS: readonly string[] = ['kWh', 'Wh'];
export const RESISTANCE_UNITS: readonly string[] = ['mOhm', 'uOhm'];

/** RT, current type (table 21). */
export const CURRENT_TYPES = ['AC', 'DC'] as const;
export type CurrentType = (typeof CURRENT_TYPES)[number];

/** PG context letters (table 2). */
export const PAGINATION_CONTEXTS = { T: 'transaction', F: 'fiscal' } as const;
export type PaginationContext = keyof typeof PAGINATION_CONTEXTS;
