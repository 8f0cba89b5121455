import { isCiString, isObject, isText, isUrl, quoted } from './ocpiText';

/** OCPI 2.2.1 Role enum (types.asciidoc). */
export const OCPI_ROLES = ['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP'] as const;
export type OcpiRole = (typeof OCPI_ROLES)[number];

/** BusinessDetails (mod_locations): name is required; website and logo optional. */
export interface BusinessDetails {
  name: string;
  website?: string;
}

/** CredentialsRole (credentials.asciidoc). */
export interface CredentialsRole {
  role: OcpiRole;
  business_details: BusinessDetails;
  party_id: string;
  country_code: string;
}

/** Credentials object (credentials.asciidoc): token string(64) ASCII, not encoded; url of the versions endpoint; one or more roles. */
export interface Credentials {
  token: string;
  url: string;
  roles: CredentialsRole[];
}

export type CredentialsCheck = { ok: true; credentials: Credentials } | { ok: false; problems: string[] };

/** Checks a Credentials object against OCPI 2.2.1; every problem is named (answered 400, status 2001). */
export function checkCredentials(body: unknown): CredentialsCheck {
  const problems: string[] = [];
  if (!isObject(body)) return { ok: false, problems: ['the body is not a Credentials object'] };
  if (!isCiString(body.token, 64)) problems.push('token must be 1-64 printable ASCII characters (OCPI Credentials.token, string(64))');
  if (!isUrl(body.url)) problems.push(`url must be the absolute http(s) URL of your versions endpoint; got ${quoted(body.url)}`);
  if (!Array.isArray(body.roles) || body.roles.length === 0) problems.push('roles must list at least one CredentialsRole');
  else {
    body.roles.slice(0, 100).forEach((r: unknown, i: number) => {
      if (!isObject(r)) return problems.push(`roles[${i}] is not a CredentialsRole`);
      if (!OCPI_ROLES.includes(r.role as OcpiRole)) problems.push(`roles[${i}].role must be one of ${OCPI_ROLES.join(', ')}; got ${quoted(r.role)}`);
      if (!isCiString(r.party_id, 3, 3) || !/^[A-Za-z0-9]{3}$/.test(r.party_id as string)) problems.push(`roles[${i}].party_id must be 3 letters or digits (ISO 15118); got ${quoted(r.party_id)}`);
      if (!isCiString(r.country_code, 2, 2) || !/^[A-Za-z]{2}$/.test(r.country_code as string)) problems.push(`roles[${i}].country_code must be an ISO 3166 alpha-2 code; got ${quoted(r.country_code)}`);
      const b = r.business_details;
      if (!isObject(b) || !isText(b.name, 100)) problems.push(`roles[${i}].business_details.name must be 1-100 characters`);
      else if (b.website !== undefined && !isUrl(b.website)) problems.push(`roles[${i}].business_details.website must be a URL`);
    });
    if (body.roles.length > 100) problems.push('roles lists more than 100 entries');
  }
  if (problems.length > 0) return { ok: false, problems };
  const roles = (body.roles as CredentialsRole[]).map((r) => ({
    role: r.role,
    business_details: { name: r.business_details.name, ...(r.business_details.website ? { website: r.business_details.website } : {}) },
    party_id: r.party_id.toUpperCase(),
    country_code: r.country_code.toUpperCase(),
  }));
  return { ok: true, credentials: { token: body.token as string, url: body.url as string, roles } };
}

/**
 * The party a credential is bound to: the role (EMSP, or HUB for a roaming hub, which "SHALL only
 * report itself as role: Hub", credentials.asciidoc) with the country code and party id the operator
 * issued token A for (CiString: case-insensitive).
 */
export function bindsParty(c: Credentials, countryCode: string, partyId: string, role: 'EMSP' | 'HUB' = 'EMSP'): boolean {
  return c.roles.some((r) => r.role === role && r.country_code === countryCode.toUpperCase() && r.party_id === partyId.toUpperCase());
}
