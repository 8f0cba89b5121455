import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The algorithms the ledger signs checkpoints with (node:crypto, OpenSSL). */
export type CheckpointAlgorithm = 'Ed25519' | 'ECDSA-P256-SHA256';

/** The ledger's public key as it is published: algorithm, SPKI (DER, base64) and key id. */
export interface LedgerPublicKey {
  algorithm: CheckpointAlgorithm;
  /** SubjectPublicKeyInfo, DER, base64. */
  spki: string;
  /** SHA-256 of the SPKI DER, hex. */
  keyId: string;
}

/** A key the ledger cannot sign with: the reason a person can act on, never the key itself. */
export class LedgerKeyProblem extends Error {
  constructor(reason: string) {
    super(`ledger signing key: ${reason}`);
    this.name = 'LedgerKeyProblem';
  }
}

function algorithmOf(key: KeyObject): CheckpointAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ECDSA-P256-SHA256';
  throw new LedgerKeyProblem(`an Ed25519 or ECDSA P-256 key is needed, not ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}`);
}

/** The published form of a public key (PEM, or SPKI DER as base64). */
export function ledgerPublicKey(key: KeyObject | string): LedgerPublicKey {
  const k = typeof key === 'string' ? createPublicKey(key.includes('-----BEGIN') ? key : { key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' }) : key;
  const der = k.export({ format: 'der', type: 'spki' });
  return { algorithm: algorithmOf(k), spki: der.toString('base64'), keyId: createHash('sha256').update(der).digest('hex') };
}

const isCanonicalBase64 = (t: unknown): t is string => typeof t === 'string' && t.length > 0 && Buffer.from(t, 'base64').toString('base64') === t;

/** Checks a signature made by `signWith` against a published key; false, never an exception, for any bad input. */
export function verifyLedgerSignature(publicKey: LedgerPublicKey, message: Buffer, signatureBase64: string): boolean {
  try {
    // Strict base64 only: Node's decoder skips characters it does not know, so two texts could decode alike.
    if (!isCanonicalBase64(publicKey.spki) || !isCanonicalBase64(signatureBase64)) return false;
    const key = createPublicKey({ key: Buffer.from(publicKey.spki, 'base64'), format: 'der', type: 'spki' });
    if (ledgerPublicKey(key).keyId !== publicKey.keyId || algorithmOf(key) !== publicKey.algorithm) return false;
    return verify(publicKey.algorithm === 'Ed25519' ? null : 'sha256', message, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The ledger's own signing key. The private key stays inside this object: it is read from a PEM file
 * (a mounted secret) and never shown in a message, a log line or JSON (`toJSON` gives the public key).
 */
export class LedgerSigningKey {
  readonly publicKey: LedgerPublicKey;

  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.publicKey = ledgerPublicKey(createPublicKey(privateKey));
  }

  static fromPem(pem: string): LedgerSigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new LedgerKeyProblem('the text is not a PEM private key (PKCS#8 or SEC1)');
    }
    return new LedgerSigningKey(key);
  }

  static fromFile(path: string): LedgerSigningKey {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (e) {
      throw new LedgerKeyProblem(`cannot read the key file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return LedgerSigningKey.fromPem(pem);
  }

  /** A new key (tests, and the embedded run's throw-away ledger). */
  static generate(algorithm: CheckpointAlgorithm = 'Ed25519'): LedgerSigningKey {
    const { privateKey } = algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return new LedgerSigningKey(privateKey);
  }

  /** The private key as PKCS#8 PEM, to write a key file (file mode 0600 is the caller's duty). */
  exportPrivatePem(): string {
    return this.#privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /** The public key as SPKI PEM, to hand to auditors (`verify-bundle --ledger-key`). */
  publicPem(): string {
    return createPublicKey(this.#privateKey).export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Ed25519, or ECDSA P-256 over SHA-256 (DER signature); base64. */
  sign(message: Buffer): string {
    return sign(this.publicKey.algorithm === 'Ed25519' ? null : 'sha256', message, this.#privateKey).toString('base64');
  }

  toJSON(): LedgerPublicKey {
    return this.publicKey;
  }

  toString(): string {
    return `LedgerSigningKey(${this.publicKey.algorithm} ${this.publicKey.keyId})`;
  }
}
