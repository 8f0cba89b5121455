import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Takes the Node response over from Fastify for an answer written while it is read (`writeLines`):
 * status 200 and the given headers are set on it (the security headers are already there). An
 * error before the first byte is still answered in JSON by the exception filter; after it, the
 * connection is cut.
 */
export function streamFrom(reply: FastifyReply, contentType: string, headers: Record<string, string> = {}): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return res;
}
