import { tokenKey } from '@metrology-ledger/ledger';
import { emspIdOfEmaid, parseEmaid } from './emaid';
import type { SessionToken, SessionView } from './SessionView';

/** OCMF `IT` values that name an RFID card, and those that name a contract (EMAID). */
const OCMF_RFID = ['ISO14443', 'ISO15693'];
const OCMF_CONTRACT = ['EMAID', 'EVCOID'];
/** OCPP 2.0.1 IdTokenEnumType of a contract. */
const OCPP_CONTRACT = ['eMAID'];

/** The token of a session from its signed identification, when `IT` says it is an RFID card or a contract id. */
export function tokenFromIdentification(identification: SessionView['identification']): SessionToken | null {
  const { type, data } = identification;
  if (!type || !data || ![...OCMF_RFID, ...OCMF_CONTRACT].includes(type)) return null;
  return { uid: data, type, source: 'ocmf' };
}

/**
 * The eMSP an EMAID token names (`emspIdOfEmaid`). A token typed as a contract (OCPP `eMAID`, OCMF
 * `EMAID`/`EVCOID`) is read in every EMAID form. An untyped one (1.6 idTag) only in a form no RFID uid
 * has: with separators, or 15 characters (RFID uids are hex of 4, 7 or 10 bytes: 8, 14 or 20
 * characters, and a 14-character one such as `DEADBEEF012345` would read as an EMAID without check).
 * An RFID-typed token never names an eMSP by its form.
 */
export function emaidEmspOf(token: SessionToken | null): string | null {
  if (!token) return null;
  const typed = token.type !== null && (OCPP_CONTRACT.includes(token.type) || OCMF_CONTRACT.includes(token.type));
  if (token.type !== null && !typed) return null;
  if (!typed && !/[-*]/.test(token.uid) && token.uid.length !== 15) return null;
  const emaid = parseEmaid(token.uid);
  return emaid ? emspIdOfEmaid(emaid) : null;
}

/** Who owns a session, and from where that is known. */
export interface SessionOwner {
  emspId: string | null;
  emspSource: SessionView['emspSource'];
}

/**
 * A session's eMSP: the one its message named (the CSMS path), else the token registry's, else the
 * EMAID's provider; else none (visible to operators and auditors only, until the token is registered).
 */
export function resolveOwner(messageEmspId: string | null, token: SessionToken | null, registeredEmspId: string | null): SessionOwner {
  if (messageEmspId) return { emspId: messageEmspId, emspSource: 'message' };
  if (registeredEmspId) return { emspId: registeredEmspId, emspSource: 'registry' };
  const emaid = emaidEmspOf(token);
  return emaid ? { emspId: emaid, emspSource: 'emaid' } : { emspId: null, emspSource: null };
}

const comparable = (uid: string) => tokenKey(uid).replace(/[-* ]/g, '');

/**
 * The OCPP token and the signed identification ID disagree: the station authorised one token and its
 * meter signed another. Null when they agree, or when there is no OCPP token or no ID to compare.
 */
export function tokenMismatch(token: SessionToken | null, identification: SessionView['identification']): string | null {
  if (!token || token.source !== 'ocpp' || !identification.data) return null;
  if (comparable(token.uid) === comparable(identification.data)) return null;
  return `the OCPP token ${JSON.stringify(token.uid.slice(0, 40))} differs from the signed identification ID ${JSON.stringify(identification.data.slice(0, 40))} (IT ${identification.type ?? 'absent'})`;
}
