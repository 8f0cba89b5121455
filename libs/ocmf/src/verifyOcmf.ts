import { utf8ScratchBytes } from './crypto/ByteEncoding';
import { decodePublicKey, type EcPublicKey } from './crypto/EcPublicKey';
import { decodeSignatureData } from './crypto/EcdsaSignature';
import { resolveSignatureAlgorithm } from './crypto/SignatureAlgorithm';
import type { SignatureVerifier } from './crypto/SignatureVerifier';
import type { OcmfDataset } from './model/OcmfDataset';
import { ocmfError, type OcmfError } from './model/OcmfError';
import { assessConformance, type Conformance, type OcmfFinding, type ValidationProfile } from './model/OcmfFinding';
import { paginationCounterText } from './model/Pagination';
import { parseOcmfSections, type ParsedSections } from './OcmfSections';
import { typeSections } from './parseOcmf';
import type { Verification } from './Verification';
import { quoteBounded } from './model/quoteBounded';

export interface VerifyOptions {
  /** The station's registered key: SPKI hex/base64, OCA form, PEM, or already decoded. */
  publicKey?: string | EcPublicKey;
  verifier: SignatureVerifier;
  /** Profile for the conformance summary; verification itself does not depend on it. Default tolerant. */
  profile?: ValidationProfile;
}

const MAX_CACHED_KEYS = 4096;
const keyCache = new Map<string, ReturnType<typeof decodePublicKey>>();

function cachedDecode(text: string): ReturnType<typeof decodePublicKey> {
  let hit = keyCache.get(text);
  if (!hit) {
    hit = decodePublicKey(text);
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(text, hit);
  }
  return hit;
}

/**
 * Verifies one OCMF dataset against a public key. Never throws; never answers `valid` unless the
 * verifier confirmed the signature over the exact payload bytes received.
 *
 * The signature check needs only the split sections, SA/SE/SM/SD and PG. The full typing of the
 * payload (the dataset, its findings and conformance) is done the first time one of those
 * properties is read, so a caller that only needs the verdict pays for the signature check alone.
 */
export function verifyOcmf(input: string, options: VerifyOptions): Verification {
  const parsed = parseOcmfSections(input);
  if (!parsed.ok) {
    return { verdict: 'error', errorCode: parsed.error.code, reason: parsed.error.reason, verifier: options.verifier.name, findings: [] };
  }
  return verifySections(parsed.sections, options);
}

/** Verifies a dataset that was already parsed with `parseOcmf`. */
export function verifyDataset(dataset: OcmfDataset, findings: OcmfFinding[], options: VerifyOptions): Verification {
  const sections: ParsedSections = {
    payloadText: dataset.payloadText,
    signatureText: dataset.signatureText,
    payloadJson: dataset.payload.fields,
    signatureJson: dataset.signature.fields,
  };
  return verifySections(sections, options, { dataset, findings });
}

function verifySections(
  sections: ParsedSections,
  options: VerifyOptions,
  typed?: { dataset: OcmfDataset; findings: OcmfFinding[] },
): Verification {
  const verifyFindings: OcmfFinding[] = [];
  const result = new LazyVerification(sections, options, verifyFindings, typed);
  result.payloadText = sections.payloadText;
  const fail = (e: OcmfError): Verification => {
    result.errorCode = e.code;
    result.reason = e.reason;
    return result;
  };

  const pgText = sections.payloadJson['PG'];
  if (typeof pgText === 'string') {
    result.pagination = pgText;
    const counter = paginationCounterText(pgText);
    if (counter !== undefined) result.paginationCounter = counter;
  }
  const sig = sections.signatureJson;
  const sa = typeof sig['SA'] === 'string' ? sig['SA'] : typeof sections.payloadJson['SA'] === 'string' ? (sections.payloadJson['SA'] as string) : undefined;
  const alg = resolveSignatureAlgorithm(sa);
  if (!alg.ok) return fail(ocmfError('unknown-algorithm', alg.reason));
  const { algorithm } = alg;
  result.algorithm = algorithm.id;

  if (options.publicKey === undefined || options.publicKey === '') {
    return fail(ocmfError('no-key', 'no public key given: pass the station key registered for this meter'));
  }
  let key: EcPublicKey;
  if (typeof options.publicKey === 'string') {
    const decoded = cachedDecode(options.publicKey);
    if (!decoded.ok) return fail(ocmfError('bad-key', `public key unusable: ${decoded.reason}`));
    key = decoded.key;
  } else {
    key = options.publicKey;
  }
  result.keyId = key.id;
  if (key.curve) result.keyCurve = key.curve.name;
  if (key.curve && key.curve.name !== algorithm.curve.name) {
    return fail(
      ocmfError(
        'key-mismatch',
        `the key is a ${key.curve.name} key but the dataset is signed with ${algorithm.id}: wrong key for this meter, or wrong SA`,
      ),
    );
  }
  if (!options.verifier.acceptsKey(algorithm.curve, key)) {
    return fail(ocmfError('bad-key', `public key is not a valid point of ${algorithm.curve.name}`));
  }

  const sd = sig['SD'];
  if (typeof sd !== 'string') return fail(ocmfError('missing-field', 'signature section has no SD string'));
  const se = sig['SE'];
  const sm = sig['SM'];
  if ((se !== undefined && typeof se !== 'string') || (sm !== undefined && typeof sm !== 'string')) {
    return fail(ocmfError('malformed-signature', 'SE and SM must be strings'));
  }
  const decoded = decodeSignatureData(sd, se, sm);
  if (!decoded.ok) return fail(ocmfError('malformed-signature', decoded.reason));
  for (const d of decoded.signature.deviations) verifyFindings.push({ severity: 'deviation', field: 'SD', message: d });
  if (se !== undefined && se !== 'hex' && se !== 'base64') {
    verifyFindings.push({ severity: 'deviation', field: 'SE', message: `SE ${quoteBounded(se)} read as base64` });
  }
  const n = algorithm.curve.byteLength;
  if (decoded.signature.r.length > n || decoded.signature.s.length > n) {
    result.verdict = 'invalid';
    result.reason = `signature integers are larger than ${algorithm.curve.name} allows`;
    return result;
  }
  const ok = options.verifier.verify(algorithm.curve, key, utf8ScratchBytes(sections.payloadText), decoded.signature);
  result.verdict = ok ? 'valid' : 'invalid';
  result.reason = ok
    ? `signature matches (${algorithm.id})`
    : `signature does not match the payload under this key (${algorithm.id}): the data was changed after signing, or it was signed by another key`;
  return result;
}

/**
 * A Verification whose `dataset`, `findings` and `conformance` are computed on first read (and then
 * kept). `toJSON` includes them, so a serialised verification is complete.
 */
class LazyVerification implements Verification {
  verdict: Verification['verdict'] = 'error';
  reason = '';
  // `declare`: optional fields are only created when set (this object is built once per dataset on the hot path).
  declare errorCode?: Verification['errorCode'];
  declare algorithm?: string;
  declare pagination?: string;
  declare paginationCounter?: string;
  declare keyCurve?: string;
  declare keyId?: string;
  declare payloadText?: string;
  readonly verifier: string;
  private typed: { dataset: OcmfDataset; findings: OcmfFinding[] } | undefined;
  private allFindings: OcmfFinding[] | undefined = undefined;
  private assessed: Conformance | undefined = undefined;

  constructor(
    private readonly sections: ParsedSections,
    private readonly options: VerifyOptions,
    private readonly verifyFindings: OcmfFinding[],
    typed?: { dataset: OcmfDataset; findings: OcmfFinding[] },
  ) {
    this.verifier = options.verifier.name;
    this.typed = typed;
  }

  get dataset(): OcmfDataset {
    return (this.typed ??= typeSections(this.sections)).dataset;
  }

  get findings(): OcmfFinding[] {
    return (this.allFindings ??= [...(this.typed ??= typeSections(this.sections)).findings, ...this.verifyFindings]);
  }

  get conformance(): Conformance {
    return (this.assessed ??= assessConformance(this.findings, this.options.profile ?? 'tolerant'));
  }

  toJSON(): Verification {
    const { sections: _s, options: _o, verifyFindings: _v, typed: _t, allFindings: _a, assessed: _c, ...plain } = this;
    return { ...plain, dataset: this.dataset, findings: this.findings, conformance: this.conformance };
  }
}
