import { isCiString, isObject, isText, quoted } from './ocpiText';

/**
 * What a CDR needs of where a session took place (OCPI 2.2.1 CdrLocation, without the EVSE and
 * connector of a session): recorded by the operator per station, because the ledger knows stations
 * by id only. `evseIdPrefix` + connector number makes the EVSE id (`DE*ABC*E1234*1`).
 */
export interface StationLocation {
  locationId: string;
  name?: string;
  address: string;
  city: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-3. */
  country: string;
  latitude: string;
  longitude: string;
  evseIdPrefix: string;
  connectorStandard: string;
  connectorFormat: 'SOCKET' | 'CABLE';
  powerType: 'AC_1_PHASE' | 'AC_2_PHASE' | 'AC_2_PHASE_SPLIT' | 'AC_3_PHASE' | 'DC';
}

const CONNECTOR_TYPES = [
  'CHADEMO', 'CHAOJI', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G', 'DOMESTIC_H', 'DOMESTIC_I',
  'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O', 'GBT_AC', 'GBT_DC', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16',
  'IEC_60309_2_three_32', 'IEC_60309_2_three_64', 'IEC_62196_T1', 'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A',
  'IEC_62196_T3C', 'NEMA_5_20', 'NEMA_6_30', 'NEMA_6_50', 'NEMA_10_30', 'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN', 'TESLA_R', 'TESLA_S',
];
const POWER_TYPES = ['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC'];

export type LocationCheck = { ok: true; location: StationLocation } | { ok: false; problems: string[] };

/** Checks an operator's location record against the limits of OCPI's CdrLocation and GeoLocation. */
export function checkStationLocation(body: unknown): LocationCheck {
  if (!isObject(body)) return { ok: false, problems: ['the body is not a location object'] };
  const p: string[] = [];
  const allowed = ['locationId', 'name', 'address', 'city', 'postalCode', 'country', 'latitude', 'longitude', 'evseIdPrefix', 'connectorStandard', 'connectorFormat', 'powerType'];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) p.push(`${quoted(k, 40)} is not a location field (${allowed.join(', ')})`);
  if (!isCiString(body.locationId, 36)) p.push('locationId must be 1-36 ASCII characters (CdrLocation.id)');
  if (body.name !== undefined && !isText(body.name, 255)) p.push('name must be at most 255 characters');
  if (!isText(body.address, 45)) p.push('address must be 1-45 characters');
  if (!isText(body.city, 45)) p.push('city must be 1-45 characters');
  if (body.postalCode !== undefined && !isText(body.postalCode, 10)) p.push('postalCode must be at most 10 characters');
  if (typeof body.country !== 'string' || !/^[A-Z]{3}$/.test(body.country)) p.push(`country must be an ISO 3166-1 alpha-3 code such as DEU; got ${quoted(body.country)}`);
  if (typeof body.latitude !== 'string' || !/^-?[0-9]{1,2}\.[0-9]{5,7}$/.test(body.latitude)) p.push('latitude must be decimal text such as "50.93770" (OCPI GeoLocation: 5-7 decimals)');
  if (typeof body.longitude !== 'string' || !/^-?[0-9]{1,3}\.[0-9]{5,7}$/.test(body.longitude)) p.push('longitude must be decimal text such as "6.95742" (OCPI GeoLocation: 5-7 decimals)');
  if (!isCiString(body.evseIdPrefix, 44)) p.push('evseIdPrefix must be 1-44 ASCII characters (the EVSE id without the connector number)');
  if (!CONNECTOR_TYPES.includes(body.connectorStandard as string)) p.push(`connectorStandard must be an OCPI ConnectorType such as IEC_62196_T2; got ${quoted(body.connectorStandard)}`);
  if (body.connectorFormat !== 'SOCKET' && body.connectorFormat !== 'CABLE') p.push('connectorFormat must be SOCKET or CABLE');
  if (!POWER_TYPES.includes(body.powerType as string)) p.push(`powerType must be one of ${POWER_TYPES.join(', ')}`);
  return p.length ? { ok: false, problems: p } : { ok: true, location: body as unknown as StationLocation };
}
