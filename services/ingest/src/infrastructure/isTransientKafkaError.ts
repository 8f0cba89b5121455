/** Network failures of Node's sockets and resolver that a broker coming up (or a DNS entry appearing) cures. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Whether an error is a broker condition that passes by itself (a broker starting, a leader election,
 * the group coordinator loading): kafkajs marks those `retriable`, and wraps them, once its own
 * retries are used up, in KafkaJSNumberOfRetriesExceeded; the cause chain is followed. Anything else
 * (bad credentials, an invalid topic name, a programming error) is not transient.
 */
export function isTransientKafkaError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 10 && typeof e === 'object' && e !== null; depth++) {
    const { name, retriable, code } = e as { name?: unknown; retriable?: unknown; code?: unknown };
    if (name === 'KafkaJSNumberOfRetriesExceeded' || retriable === true) return true;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}
