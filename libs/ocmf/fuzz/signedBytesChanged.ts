/**
 * Whether `mutated` no longer carries the bytes `original` signs, decided without the parser under
 * test: an OCMF signature covers the payload exactly as written between `OCMF|` and the separator
 * `|`. The mutated text keeps them only when it still begins, after white space (which the
 * parser skips before the header), with `OCMF|`, the original payload byte for byte, and `|`.
 * Everything after that is the signature section: an edit there may leave the signature intact
 * (white space in its JSON, the case of hex digits, an ignored fourth section) and may still verify.
 * A header edit counts as a change: nothing but `OCMF|` may introduce the signed payload.
 *
 * `payloadText` is the original's payload; `original` must begin with `OCMF|${payloadText}|`.
 */
export function signedBytesChanged(payloadText: string, mutated: string): boolean {
  const start = mutated.length - mutated.trimStart().length;
  return !mutated.startsWith(`OCMF|${payloadText}|`, start);
}
