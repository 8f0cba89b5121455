import { utf8Bytes } from './crypto/ByteEncoding';
import { decodePublicKey, type EcPublicKey } from './crypto/EcPublicKey';
import { decodeSignatureData, toP1363 } from './crypto/EcdsaSignature';
import { resolveSignatureAlgorithm } from './crypto/SignatureAlgorithm';
import type { SignatureVerifier } from './crypto/SignatureVerifier';
import type { OcmfDataset } from './model/OcmfDataset';
import { ocmfError, type OcmfError } from './model/OcmfError';
import { assessConformance, type OcmfFinding, type ValidationProfile } from './model/OcmfFinding';
import { parseOcmf } from './parseOcmf';
import type { Verification } from './Verification';

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
 */
export function verifyOcmf(input: string, options: VerifyOptions): Verification {
  const parsed = parseOcmf(input);
  if (!parsed.ok) return failure(parsed.error, options, parsed.findings);
  return verifyDataset(parsed.dataset, parsed.findings, options);
}

export function verifyDataset(dataset: OcmfDataset, findings: OcmfFinding[], options: VerifyOptions): Verification {
  const base: Verification = {
    verdict: 'error',
    reason: '',
    verifier: options.verifier.name,
    findings,
    conformance: assessConformance(findings, options.profile ?? 'tolerant'),
    dataset,
  };
  const pg = dataset.payload.pagination;
  if (pg) {
    base.pagination = pg.raw;
    base.paginationCounter = pg.counter.toString();
  } else if (typeof dataset.payload.fields['PG'] === 'string') {
    base.pagination = dataset.payload.fields['PG'] as string;
  }
  const fail = (e: OcmfError): Verification => ({ ...base, verdict: 'error', errorCode: e.code, reason: e.reason });

  const alg = resolveSignatureAlgorithm(dataset.signature.algorithm);
  if (!alg.ok) return fail(ocmfError('unknown-algorithm', alg.reason));
  const { algorithm } = alg;
  base.algorithm = algorithm.id;

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
  base.keyId = key.id;
  base.keyCurve = key.curve?.name;
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

  const sd = dataset.signature.data;
  if (sd === undefined) return fail(ocmfError('missing-field', 'signature section has no SD'));
  const sig = decodeSignatureData(sd, dataset.signature.encoding, dataset.signature.mimeType);
  if (!sig.ok) return fail(ocmfError('malformed-signature', sig.reason));
  for (const d of sig.signature.deviations) findings.push({ severity: 'deviation', field: 'SD', message: d });
  if (dataset.signature.encoding !== undefined && !['hex', 'base64'].includes(dataset.signature.encoding)) {
    findings.push({ severity: 'deviation', field: 'SE', message: `SE "${dataset.signature.encoding}" read as base64` });
  }
  base.conformance = assessConformance(findings, options.profile ?? 'tolerant');

  const p1363 = toP1363(sig.signature, algorithm.curve.byteLength);
  if (!p1363) {
    return { ...base, verdict: 'invalid', reason: `signature integers are larger than ${algorithm.curve.name} allows` };
  }
  const ok = options.verifier.verify(algorithm.curve, key, utf8Bytes(dataset.payloadText), p1363);
  return ok
    ? { ...base, verdict: 'valid', reason: `signature matches (${algorithm.id})` }
    : {
        ...base,
        verdict: 'invalid',
        reason: `signature does not match the payload under this key (${algorithm.id}): the data was changed after signing, or it was signed by another key`,
      };
}

function failure(error: OcmfError, options: VerifyOptions, findings: OcmfFinding[]): Verification {
  return { verdict: 'error', errorCode: error.code, reason: error.reason, verifier: options.verifier.name, findings };
}
