import { createHash } from 'node:crypto';
import { TOKEN_TYPES as OCPI_TOKEN_TYPES, tokenKey } from '@metrology-ledger/ledger';
import { writeOcpiSignedData } from '@metrology-ledger/ocmf';
import { toKWh } from '../../domain/provenSession';
import type { SessionView } from '../../domain/SessionView';
import type { Cdr } from './Cdr';
import type { StationLocation } from './StationLocation';

/** Why a session gets no CDR (duty 7: no value from a missing, invalid or conflicting packet). */
export type WithholdReason = 'conflict' | 'invalid' | 'no-energy' | 'no-times' | 'no-identification' | 'token-mismatch' | 'no-connector' | 'no-location';

/** Reasons that can go away without a new packet (the operator records the station's location). */
export const RECOVERABLE_REASONS: readonly WithholdReason[] = ['no-location'];

export interface CdrParties {
  /** This CPO (OCPI_COUNTRY_CODE, OCPI_PARTY_ID) and the CDR currency. */
  cpo: { countryCode: string; partyId: string; currency: string };
  /** The eMSP the session belongs to, as bound by its credentials. */
  emsp: { countryCode: string; partyId: string };
}

/** The token registry's entry (the ledger's TokenRegistered, as the read model keeps it) of the session's token, held by the session's eMSP. */
export interface RegisteredToken {
  uid: string;
  tokenType: string;
  contractId: string | null;
}

export type CdrDecision = { ok: true; cdr: Cdr } | { ok: false; reason: WithholdReason; message: string };

/** The CDR id of a session: derived from its key stream and counter, so deciding again never makes a second CDR. 32 hex characters (CiString(36)). */
export function cdrIdOf(streamId: string, counter: string): string {
  return createHash('sha256').update(`${streamId}\n${counter}`).digest('hex').slice(0, 32);
}

/** OCMF `IT` and OCPP 2.0.1 IdTokenEnumType → OCPI TokenType. */
const TOKEN_TYPES: Record<string, Cdr['cdr_token']['type']> = {
  ISO14443: 'RFID',
  KeyCode: 'OTHER',
  Central: 'APP_USER',
  ISO15693: 'RFID',
  CENTRAL: 'APP_USER',
  CENTRAL_1: 'APP_USER',
  CENTRAL_2: 'APP_USER',
  ISO7812: 'AD_HOC_USER',
  CARD_TXN_NR: 'AD_HOC_USER',
};
const NO_IDENTIFICATION = ['NONE', 'DENIED', 'UNDEFINED'];

/**
 * The CDR of one recorded session, or why there is none. A CDR only for a session whose one signed
 * packet verified (no conflict), carries an energy figure (begin and end readings), and says who
 * charged (the OCMF identification); every figure comes from that packet, whose complete OCMF text
 * travels in `signed_data` (base64, never cut, even beyond OCPI's 5000 characters).
 */
export function buildCdr(s: SessionView, location: StationLocation | undefined, parties: CdrParties, now: Date, receiptUrl?: string, registered?: RegisteredToken): CdrDecision {
  if (s.status === 'conflict') return { ok: false, reason: 'conflict', message: `more than one validly signed packet for counter ${s.counter} of this key stream: no CDR until the conflict is resolved` };
  if (s.verdict !== 'valid') return { ok: false, reason: 'invalid', message: `the packet does not verify (verdict ${s.verdict})` };
  if (s.energy === null || s.unit === null) return { ok: false, reason: 'no-energy', message: `no energy figure: ${s.energyWithheld ?? 'none'}` };
  const exact = toKWh(s.energy, s.unit);
  if (!exact) return { ok: false, reason: 'no-energy', message: `the energy unit ${JSON.stringify(s.unit)} is not Wh or kWh` };
  const kWh = Number(exact.text);
  if (!s.startTime || !s.endTime) return { ok: false, reason: 'no-times', message: 'the signed readings carry no start or end time' };
  const id = s.identification;
  // The CP800 writes IS and ID without IT: the identification is what ID holds; IT only says its kind.
  if (!id.data || id.status === false || (id.type !== null && NO_IDENTIFICATION.includes(id.type))) {
    return { ok: false, reason: 'no-identification', message: `the packet names no identification (IS ${JSON.stringify(id.status)}, IT ${JSON.stringify(id.type)}, ID ${id.data ? 'given' : 'missing'}): duty 6 cannot be shown` };
  }
  if (id.data.length > 36 || !/^[\x20-\x7e]+$/.test(id.data)) return { ok: false, reason: 'no-identification', message: 'the identification (ID) is longer than OCPI CdrToken.uid allows (36 ASCII characters)' };
  // Duty 6: who started the session must be shown; a station token that is not the signed one cannot be.
  if (s.tokenMismatch) return { ok: false, reason: 'token-mismatch', message: `the OCPP token and the signed identification differ (${s.tokenMismatch}): duty 6 cannot be shown` };
  // The token the session was started with (OCPP, resolved by the ledger's token registry), else the signed ID.
  const token = s.token && s.token.uid.length <= 36 && /^[\x20-\x7e]+$/.test(s.token.uid) ? s.token : { uid: id.data, type: id.type, source: 'ocmf' as const };
  if (s.connector === null) return { ok: false, reason: 'no-connector', message: 'the session names no connector' };
  if (!location) return { ok: false, reason: 'no-location', message: `no location is recorded for station ${s.stationId} (PUT /operator/ocpi/stations/${s.stationId}/location)` };

  // signed_data.url: where the EV driver checks the signed data (the receipt page, when the service issues them).
  const signed = writeOcpiSignedData([{ nature: 'End', ocmf: s.ocmf }], undefined, receiptUrl);
  // OCPI SignedData.public_key is base64; the ledger holds the station key as hex (SPKI DER).
  if (/^[0-9a-fA-F]+$/.test(s.publicKey) && s.publicKey.length % 2 === 0) signed.public_key = Buffer.from(s.publicKey, 'hex').toString('base64');
  const hours = (Date.parse(s.endTime) - Date.parse(s.startTime)) / 3_600_000;
  const remark = `station ${s.stationId}, connector ${s.connector}, transaction ${s.transactionId ?? '-'}, pagination ${s.pagination}; total_cost 0: prices are not part of the metrology ledger`;
  const cdr: Cdr = {
    country_code: parties.cpo.countryCode,
    party_id: parties.cpo.partyId,
    id: cdrIdOf(s.streamId, s.counter),
    start_date_time: s.startTime,
    end_date_time: s.endTime,
    cdr_token: cdrToken(token, parties.emsp, registered),
    auth_method: 'WHITELIST',
    cdr_location: {
      id: location.locationId,
      ...(location.name ? { name: location.name } : {}),
      address: location.address,
      city: location.city,
      ...(location.postalCode ? { postal_code: location.postalCode } : {}),
      country: location.country,
      coordinates: { latitude: location.latitude, longitude: location.longitude },
      evse_uid: `${s.stationId}-${s.connector}`.slice(0, 36),
      evse_id: `${location.evseIdPrefix}*${s.connector}`,
      connector_id: String(s.connector),
      connector_standard: location.connectorStandard,
      connector_format: location.connectorFormat,
      connector_power_type: location.powerType,
    },
    currency: parties.cpo.currency,
    charging_periods: [{ start_date_time: s.startTime, dimensions: [{ type: 'ENERGY', volume: kWh }] }],
    signed_data: signed,
    total_cost: { excl_vat: 0 },
    total_energy: kWh,
    total_time: Math.max(0, Math.round(hours * 1e6) / 1e6),
    remark: remark.length > 255 ? `${remark.slice(0, 254)}…` : remark,
    last_updated: now.toISOString(),
  };
  return { ok: true, cdr };
}

/**
 * OCPI CdrToken of the session's token: uid, type and contract id as the eMSP registered the token
 * (the token registry's entry, uids compared without case), so the eMSP finds its contract; a token
 * the registry does not hold for the eMSP (or holds without a contract id) has its uid as contract id,
 * and its type from OCMF `IT` / OCPP 2.0.1.
 */
function cdrToken(token: { uid: string; type: string | null }, emsp: CdrParties['emsp'], registered?: RegisteredToken): Cdr['cdr_token'] {
  const entry = registered && tokenKey(registered.uid) === tokenKey(token.uid) ? registered : undefined;
  const type = (entry && (OCPI_TOKEN_TYPES as readonly string[]).includes(entry.tokenType) ? entry.tokenType : undefined) as Cdr['cdr_token']['type'] | undefined;
  return {
    country_code: emsp.countryCode,
    party_id: emsp.partyId,
    uid: entry?.uid ?? token.uid,
    type: type ?? ((token.type && TOKEN_TYPES[token.type]) || 'OTHER'),
    contract_id: entry?.contractId ?? entry?.uid ?? token.uid,
  };
}
