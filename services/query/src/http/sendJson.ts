import type { FastifyReply } from 'fastify';

/**
 * Answers with a JSON body (an error's): through Fastify's reply, or on the Node response when the
 * handler took it over (a streamed export that failed before its first byte). When the answer has
 * already begun, the connection is cut instead, so a truncated answer never looks complete.
 */
export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const res = reply.raw;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (reply.sent) {
    if (res.writableEnded) return;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
    return;
  }
  void reply.headers(headers).code(status).send(body);
}
