import type { OcmfErrorCode } from '../model/OcmfError';
import type { Verdict } from '../Verification';

/**
 * Shared-corpus files whose `expected` verdict is the most permissive reading, where our verdict
 * follows the legal reference software (S.A.F.E. Transparenzsoftware) instead: `verify-samples`
 * shows them as such rather than as failures. The reasons, with the reference's code paths, are in
 * README.md ("Differences from the transparency software") and in verifyOcmf.conformance.spec.ts,
 * which checks that this list and its own agree.
 */
export const REFERENCE_DECISIONS: Record<string, { verdict: Verdict; errorCode: OcmfErrorCode; why: string }> = {
  'hupe1980-deviation-invalid-string-escape': {
    verdict: 'error',
    errorCode: 'malformed-json',
    why: 'an escape RFC 8259 does not define; the reference (Gson 2.8.9) refuses the payload',
  },
  'hupe1980-deviation-raw-rs-signature': {
    verdict: 'error',
    errorCode: 'malformed-signature',
    why: 'a bare r||s where SM says DER; the reference (BouncyCastle ASN.1) refuses the signature',
  },
};
