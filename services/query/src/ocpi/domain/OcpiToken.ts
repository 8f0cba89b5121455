import { TOKEN_TYPES } from '@metrology-ledger/ledger';
import { isCiString, isObject, isText, ocpiDateTime, quoted } from './ocpiText';

/** OCPI 2.2.1 WhitelistType and ProfileType (mod_tokens, mod_sessions). */
const WHITELIST_TYPES = ['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'] as const;
const PROFILE_TYPES = ['CHEAP', 'FAST', 'GREEN', 'REGULAR'] as const;

/** OCPI 2.2.1 Token object (mod_tokens.asciidoc, Token Object), as an eMSP pushes it to the CPO. */
export interface OcpiToken {
  country_code: string;
  party_id: string;
  uid: string;
  type: (typeof TOKEN_TYPES)[number];
  contract_id: string;
  visual_number?: string;
  issuer: string;
  group_id?: string;
  valid: boolean;
  whitelist: (typeof WHITELIST_TYPES)[number];
  language?: string;
  default_profile_type?: (typeof PROFILE_TYPES)[number];
  energy_contract?: { supplier_name: string; contract_id?: string };
  last_updated: string;
}

export type TokenCheck = { ok: true; token: OcpiToken } | { ok: false; problems: string[] };

/** Where a token is pushed to: `{tokens}/{country_code}/{party_id}/{token_uid}[?type=]` (type RFID when omitted). */
export interface TokenAddress {
  countryCode: string;
  partyId: string;
  uid: string;
  type: string;
}

const FIELDS = ['country_code', 'party_id', 'uid', 'type', 'contract_id', 'visual_number', 'issuer', 'group_id', 'valid', 'whitelist', 'language', 'default_profile_type', 'energy_contract', 'last_updated'] as const;

/**
 * Checks a Token object against OCPI 2.2.1 and the address it is pushed to (the URL's country code,
 * party id and uid, and `type`, SHALL be the object's: transport_and_format, Client Owned Object Push);
 * every problem is named (answered 400, status 2001). Fields OCPI does not define are dropped; a
 * `null` optional field counts as absent. Country code and party id are CiString: kept in capitals.
 */
export function checkToken(body: unknown, at: TokenAddress): TokenCheck {
  if (!isObject(body)) return { ok: false, problems: ['the body is not a Token object'] };
  const problems: string[] = [];
  const b = Object.fromEntries(FIELDS.filter((k) => body[k] !== undefined && body[k] !== null).map((k) => [k, body[k]])) as Record<string, unknown>;
  if (!isCiString(b.country_code, 2, 2) || !/^[A-Za-z]{2}$/.test(b.country_code)) problems.push(`country_code must be an ISO 3166 alpha-2 code; got ${quoted(b.country_code)}`);
  else if (b.country_code.toUpperCase() !== at.countryCode.toUpperCase()) problems.push(`country_code ${quoted(b.country_code)} is not the ${quoted(at.countryCode)} of the URL`);
  if (!isCiString(b.party_id, 3, 3) || !/^[A-Za-z0-9]{3}$/.test(b.party_id)) problems.push(`party_id must be 3 letters or digits (ISO 15118); got ${quoted(b.party_id)}`);
  else if (b.party_id.toUpperCase() !== at.partyId.toUpperCase()) problems.push(`party_id ${quoted(b.party_id)} is not the ${quoted(at.partyId)} of the URL`);
  // The registry holds uids and contract ids without spaces (the ledger's rule: RFID uids and EMAIDs have none).
  if (!isCiString(b.uid, 36) || /\s/.test(b.uid)) problems.push(`uid must be 1-36 printable ASCII characters without spaces (CiString(36)); got ${quoted(b.uid)}`);
  else if (b.uid.toUpperCase() !== at.uid.toUpperCase()) problems.push(`uid ${quoted(b.uid)} is not the token_uid ${quoted(at.uid)} of the URL`);
  if (!(TOKEN_TYPES as readonly unknown[]).includes(b.type)) problems.push(`type must be one of ${TOKEN_TYPES.join(', ')}; got ${quoted(b.type)}`);
  else if (b.type !== at.type) problems.push(`type ${quoted(b.type)} is not the type ${quoted(at.type)} of the URL (RFID when the URL gives none)`);
  if (!isCiString(b.contract_id, 36) || /\s/.test(b.contract_id)) problems.push(`contract_id must be 1-36 printable ASCII characters without spaces (CiString(36)); got ${quoted(b.contract_id)}`);
  if (b.visual_number !== undefined && !isText(b.visual_number, 64, 0)) problems.push('visual_number must be at most 64 characters');
  if (!isText(b.issuer, 64)) problems.push(`issuer must be 1-64 characters; got ${quoted(b.issuer)}`);
  if (b.group_id !== undefined && !isCiString(b.group_id, 36)) problems.push('group_id must be 1-36 printable ASCII characters (CiString(36))');
  if (typeof b.valid !== 'boolean') problems.push(`valid must be true or false; got ${quoted(b.valid)}`);
  if (!(WHITELIST_TYPES as readonly unknown[]).includes(b.whitelist)) problems.push(`whitelist must be one of ${WHITELIST_TYPES.join(', ')}; got ${quoted(b.whitelist)}`);
  if (b.language !== undefined && (typeof b.language !== 'string' || !/^[a-z]{2}$/i.test(b.language))) problems.push(`language must be an ISO 639-1 code of 2 letters; got ${quoted(b.language)}`);
  if (b.default_profile_type !== undefined && !(PROFILE_TYPES as readonly unknown[]).includes(b.default_profile_type)) problems.push(`default_profile_type must be one of ${PROFILE_TYPES.join(', ')}; got ${quoted(b.default_profile_type)}`);
  if (b.energy_contract !== undefined) {
    const e = b.energy_contract;
    if (!isObject(e) || !isText(e.supplier_name, 64) || (e.contract_id !== undefined && e.contract_id !== null && !isText(e.contract_id, 64))) problems.push('energy_contract must be {supplier_name: 1-64 characters, contract_id?: up to 64 characters}');
    else b.energy_contract = { supplier_name: e.supplier_name, ...(typeof e.contract_id === 'string' ? { contract_id: e.contract_id } : {}) };
  }
  const lastUpdated = ocpiDateTime(b.last_updated);
  if (lastUpdated === undefined) problems.push(`last_updated must be an OCPI DateTime such as 2026-01-28T12:00:00Z; got ${quoted(b.last_updated)}`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, token: { ...(b as unknown as OcpiToken), country_code: at.countryCode.toUpperCase(), party_id: at.partyId.toUpperCase(), last_updated: lastUpdated! } };
}

/**
 * A PATCH onto the Token held (transport_and_format, PATCH: the fields given change, the others stay):
 * `last_updated` is required (mod_tokens: "Any request to the PATCH method SHALL contain the
 * last_updated field"), and the result must be a valid Token at the same address.
 */
export function patchToken(held: OcpiToken, patch: unknown, at: TokenAddress): TokenCheck {
  if (!isObject(patch)) return { ok: false, problems: ['the body is not a partial Token object'] };
  if (patch.last_updated === undefined || patch.last_updated === null) return { ok: false, problems: ['a PATCH must hold last_updated'] };
  return checkToken({ ...held, ...patch }, at);
}

/** The `type` URL parameter of the tokens endpoints: a TokenType, RFID when omitted (mod_tokens, Request Parameters). */
export function tokenTypeParameter(v: unknown): string | undefined {
  if (v === undefined) return 'RFID';
  return typeof v === 'string' && (TOKEN_TYPES as readonly string[]).includes(v) ? v : undefined;
}
