import type { OcpiSignedData } from '@metrology-ledger/ocmf';

/** OCPI 2.2.1 CDR (mod_cdrs.asciidoc, CDR object) as this CPO fills it. */
export interface Cdr {
  country_code: string;
  party_id: string;
  id: string;
  start_date_time: string;
  end_date_time: string;
  cdr_token: { country_code: string; party_id: string; uid: string; type: 'AD_HOC_USER' | 'APP_USER' | 'OTHER' | 'RFID'; contract_id: string };
  auth_method: 'AUTH_REQUEST' | 'COMMAND' | 'WHITELIST';
  cdr_location: {
    id: string;
    name?: string;
    address: string;
    city: string;
    postal_code?: string;
    country: string;
    coordinates: { latitude: string; longitude: string };
    evse_uid: string;
    evse_id: string;
    connector_id: string;
    connector_standard: string;
    connector_format: string;
    connector_power_type: string;
  };
  currency: string;
  charging_periods: { start_date_time: string; dimensions: { type: 'ENERGY'; volume: number }[] }[];
  signed_data: OcpiSignedData;
  total_cost: { excl_vat: number };
  total_energy: number;
  total_time: number;
  remark?: string;
  /** A credit CDR (mod_cdrs.asciidoc, "Credit CDRs"): true, with `credit_reference_id` the id of the CDR it credits. */
  credit?: boolean;
  credit_reference_id?: string;
  last_updated: string;
}
