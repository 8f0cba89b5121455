/**
 * OCPP security profiles (OCPP 1.6 security whitepaper, OCPP 2.0.1 part 2 A00):
 * 1 = HTTP basic auth over plain ws (development only, must be enabled explicitly),
 * 2 = TLS + HTTP basic auth, 3 = TLS with a client certificate.
 */
export type SecurityProfile = 1 | 2 | 3;

export const SECURITY_PROFILES: readonly SecurityProfile[] = [1, 2, 3];

export function isSecurityProfile(value: unknown): value is SecurityProfile {
  return value === 1 || value === 2 || value === 3;
}
