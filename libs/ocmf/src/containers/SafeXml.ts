import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { ContainerRead, DatasetEnvelope } from './DatasetEnvelope';
import { quoteBounded } from '../model/quoteBounded';

/** Upper bound on an XML file: a full billing-period export is split into files far below this. */
export const MAX_XML_CHARS = 64 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'value',
});

/**
 * Reads the SAFE transparency-software XML:
 * `<values><value transactionId context><signedData format encoding>…</signedData><publicKey encoding>…</publicKey></value>…</values>`.
 * Values whose signedData is not OCMF (EDL, SML, alfen…) are reported, not silently skipped.
 */
export function readSafeXml(text: string): ContainerRead {
  if (text.length > MAX_XML_CHARS) return { ok: false, reason: `XML is larger than ${MAX_XML_CHARS} characters` };
  let doc: any;
  try {
    doc = parser.parse(text, true);
  } catch (e) {
    return { ok: false, reason: `not well-formed XML: ${(e as Error).message.split('\n')[0]}` };
  }
  const values = doc?.values?.value;
  if (!Array.isArray(values) || values.length === 0) {
    return { ok: false, reason: 'XML has no <values><value> elements (SAFE transparency format)' };
  }
  const datasets: DatasetEnvelope[] = [];
  for (const [i, v] of values.entries()) {
    const signed = textOf(v?.signedData);
    if (signed === undefined) return { ok: false, reason: `<value> ${i + 1} has no <signedData>` };
    const ocmf = signed.trim();
    if (!ocmf.startsWith('OCMF|')) {
      const fmt = attr(v?.signedData, 'format') ?? 'unknown';
      return { ok: false, reason: `<value> ${i + 1} holds signed data in format ${quoteBounded(String(fmt))}, not OCMF` };
    }
    const env: DatasetEnvelope = { ocmf };
    const key = textOf(v?.publicKey);
    if (key) env.publicKey = key.replace(/\s+/g, '');
    const tx = attr(v, 'transactionId');
    if (tx !== undefined) env.transactionId = tx;
    const ctx = attr(v, 'context');
    if (ctx !== undefined) env.context = ctx;
    datasets.push(env);
  }
  return { ok: true, kind: 'safe-xml', datasets };
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && typeof (node as any)['#text'] === 'string') return (node as any)['#text'];
  return undefined;
}

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as any)[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  processEntities: true,
  suppressEmptyNode: true,
});

/** Writes datasets in the form the SAFE transparency software opens. */
export function writeSafeXml(datasets: readonly DatasetEnvelope[]): string {
  const value = datasets.map((d) => {
    const v: Record<string, unknown> = {};
    if (d.transactionId !== undefined) v['@_transactionId'] = d.transactionId;
    if (d.context !== undefined) v['@_context'] = d.context;
    v.signedData = { '@_format': 'OCMF', '@_encoding': 'plain', '#text': d.ocmf };
    if (d.publicKey !== undefined) v.publicKey = { '@_encoding': keyEncoding(d.publicKey), '#text': d.publicKey };
    return v;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ values: { value } })}`;
}

function keyEncoding(key: string): string {
  return /^[0-9a-fA-F]+$/.test(key) ? 'hex' : 'base64';
}
