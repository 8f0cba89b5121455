/** What the OCPI module needs of the configuration (QueryConfig.ocpi, without the store's location). */
export interface OcpiSettings {
  publicUrl: string;
  countryCode: string;
  partyId: string;
  businessName: string;
  currency: string;
}

export const OCPI_SETTINGS = Symbol('OcpiSettings');

/** The URLs we hand out: everything under `<public URL>/ocpi/cpo`. */
export function ocpiUrls(s: OcpiSettings) {
  const base = `${s.publicUrl}/ocpi/cpo`;
  return { versions: `${base}/versions`, version: `${base}/2.2.1`, credentials: `${base}/2.2.1/credentials`, cdrs: `${base}/2.2.1/cdrs`, tokens: `${base}/2.2.1/tokens` };
}
