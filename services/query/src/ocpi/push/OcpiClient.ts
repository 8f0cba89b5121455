import { randomUUID } from 'node:crypto';
import { OCPI_VERSION } from '../domain/OcpiStatus';
import { authorizationOf } from '../domain/credentialsToken';
import { isObject, isUrl, quoted } from '../domain/ocpiText';

/** Who we are and who we call, for the OCPI routing headers (transport_and_format: OCPI-from/to-*). */
export interface OcpiRoute {
  from: { countryCode: string; partyId: string };
  to: { countryCode: string; partyId: string };
}

/** A call to an eMSP that did not give what OCPI says it must: the reason, quoting bounded text of theirs. */
export class OcpiCallFailed extends Error {
  override readonly name = 'OcpiCallFailed';
}

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The CPO's outgoing OCPI calls: the eMSP's versions and endpoints during the credentials handshake,
 * and CDR pushes. Every answer must be the OCPI envelope with a 1xxx status, or the call failed.
 * The token is sent as OCPI 2.2.1 says (`Token <base64>`) and never appears in an error.
 */
export class OcpiClient {
  constructor(private readonly fetchFn: typeof fetch = fetch) {}

  /** The eMSP's `cdrs` receiver endpoint for 2.2.1, read from its versions URL with its token B. */
  async cdrsEndpoint(versionsUrl: string, token: string, route: OcpiRoute): Promise<{ cdrsUrl: string | null; versionUrl: string }> {
    const versions = await this.call('GET', versionsUrl, token, route);
    if (!Array.isArray(versions.data)) throw new OcpiCallFailed(`their versions endpoint answered no list of versions`);
    const v = versions.data.find((x: unknown) => isObject(x) && x.version === OCPI_VERSION) as { url?: unknown } | undefined;
    if (!v || !isUrl(v.url)) throw new OcpiCallFailed(`their versions endpoint lists no version ${OCPI_VERSION} with a URL`);
    const details = await this.call('GET', v.url, token, route);
    const endpoints = isObject(details.data) && Array.isArray(details.data.endpoints) ? details.data.endpoints : null;
    if (!endpoints) throw new OcpiCallFailed(`their ${OCPI_VERSION} version details hold no endpoints list`);
    const cdrs = endpoints.find((e: unknown) => isObject(e) && e.identifier === 'cdrs' && e.role === 'RECEIVER') as { url?: unknown } | undefined;
    return { cdrsUrl: cdrs && isUrl(cdrs.url) ? cdrs.url : null, versionUrl: v.url };
  }

  /** POSTs a CDR; resolves with the Location the eMSP gives, throws OcpiCallFailed with the reason otherwise. */
  async postCdr(url: string, token: string, route: OcpiRoute, cdr: unknown): Promise<string | null> {
    const answer = await this.call('POST', url, token, route, cdr);
    return answer.location;
  }

  private async call(method: 'GET' | 'POST', url: string, token: string, route: OcpiRoute, body?: unknown): Promise<{ data: unknown; location: string | null }> {
    const id = randomUUID();
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          Authorization: authorizationOf(token),
          'X-Request-ID': id,
          'X-Correlation-ID': id,
          'OCPI-from-country-code': route.from.countryCode,
          'OCPI-from-party-id': route.from.partyId,
          'OCPI-to-country-code': route.to.countryCode,
          'OCPI-to-party-id': route.to.partyId,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new OcpiCallFailed(`${method} ${hostOf(url)} failed: ${cause}`);
    }
    const text = await boundedText(res);
    if (res.status < 200 || res.status > 299) throw new OcpiCallFailed(`${method} ${hostOf(url)} answered HTTP ${res.status}`);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text ?? '');
    } catch {
      throw new OcpiCallFailed(`${method} ${hostOf(url)} answered HTTP ${res.status} with a body that is not JSON: ${quoted(text ?? '(larger than 1 MiB)')}`);
    }
    if (!isObject(envelope) || typeof envelope.status_code !== 'number' || typeof envelope.timestamp !== 'string') {
      throw new OcpiCallFailed(`${method} ${hostOf(url)} answered without the OCPI envelope (status_code, timestamp): ${quoted(text)}`);
    }
    if (envelope.status_code < 1000 || envelope.status_code > 1999) {
      throw new OcpiCallFailed(`${method} ${hostOf(url)} answered OCPI status ${envelope.status_code}: ${quoted(envelope.status_message ?? '')}`);
    }
    return { data: envelope.data, location: res.headers.get('location') };
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.slice(0, 200);
  } catch {
    return quoted(url);
  }
}

/** The answer's text, read until 1 MiB at most (the rest is not read: null). */
async function boundedText(res: Response): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}
