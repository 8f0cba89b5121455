import { createHash } from 'node:crypto';
import { bytesToHex, decodePublicKey, type EcPublicKey } from '@metrology-ledger/ocmf';
import { quoteBounded } from '@metrology-ledger/ledger';

/** How a public key sent by the station compares with the keys registered for it. */
export type SentKeyCheck =
  | { ok: true }
  | { ok: false; problem: 'mismatch'; sent: string; registered: string[] }
  | { ok: false; problem: 'unreadable'; reason: string };

/**
 * A key sent with a dataset (OCPP `publicKey`, SAFE XML, …) is never trusted on its own: it must be
 * one of the keys the operator registered for the station, compared as keys (the EC point and curve
 * of the normalised SPKI), not as text, so hex, base64, PEM and the OCA form of one key are equal.
 * Fingerprints are `sha256:` and the first 16 hex digits of the SHA-256 of the key's SPKI hex.
 */
export function checkStationSentKey(sentKey: string, registeredKeys: readonly string[]): SentKeyCheck {
  const sent = decodePublicKey(sentKey);
  if (!sent.ok) return { ok: false, problem: 'unreadable', reason: quoteBounded(sent.reason, 200) };
  const registered = registeredKeys.map((k) => decodePublicKey(k)).flatMap((r) => (r.ok ? [r.key] : []));
  if (registered.some((k) => sameKey(k, sent.key))) return { ok: true };
  return { ok: false, problem: 'mismatch', sent: keyFingerprint(sent.key), registered: registered.map(keyFingerprint) };
}

export function keyFingerprint(key: EcPublicKey): string {
  return `sha256:${createHash('sha256').update(key.id, 'utf8').digest('hex').slice(0, 16)}`;
}

function sameKey(a: EcPublicKey, b: EcPublicKey): boolean {
  if (bytesToHex(a.point) !== bytesToHex(b.point)) return false;
  return a.curve === undefined || b.curve === undefined || a.curve.name === b.curve.name;
}
