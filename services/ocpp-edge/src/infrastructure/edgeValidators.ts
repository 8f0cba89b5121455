import { readFileSync } from 'node:fs';
import { createRPCError, createValidator } from 'ocpp-rpc';
import type { OcppSubprotocol } from '../domain/OcppVersion';

const SCHEMA_FILES: Record<OcppSubprotocol, string> = { 'ocpp1.6': 'ocpp1_6.json', 'ocpp2.0.1': 'ocpp2_0_1.json' };

function readSchemas(subprotocol: OcppSubprotocol): unknown[] {
  return JSON.parse(readFileSync(require.resolve(`ocpp-rpc/lib/schemas/${SCHEMA_FILES[subprotocol]}`), 'utf8')) as unknown[];
}

/** Every action the official schemas of `subprotocol` define a request for (proxy mode forwards these). */
export function schemaActions(subprotocol: OcppSubprotocol): string[] {
  return readSchemas(subprotocol)
    .map((s) => /^urn:(.+)\.req$/.exec(String((s as { $id?: string }).$id))?.[1])
    .filter((a): a is string => a !== undefined);
}

/** OCPP 2.1's limit for SignedMeterValueType.signedMeterData (2.0.1: 2,500). */
export const SIGNED_METER_DATA_MAX_CHARS = 32_768;

/**
 * The official OCPP 2.0.1 JSON schemas (as ocpp-rpc ships them) with one change: signedMeterData may
 * be as long as OCPP 2.1 allows. Real meters sign datasets longer than 2,500 characters; refusing
 * them at the edge would lose signed readings, so they pass here and ingest flags them.
 * The OCPP 1.6 schemas are used unchanged (SampledValue.value has no length limit there).
 */
export function edgeValidators(): ReturnType<typeof createValidator>[] {
  const schemas = readSchemas('ocpp2.0.1');
  let patched = 0;
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    const signed = (o.SignedMeterValueType as { properties?: { signedMeterData?: { maxLength?: number } } } | undefined)?.properties?.signedMeterData;
    if (signed && typeof signed.maxLength === 'number') {
      signed.maxLength = SIGNED_METER_DATA_MAX_CHARS;
      patched++;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(schemas);
  if (patched === 0) throw new Error('ocpp-rpc 2.0.1 schemas hold no SignedMeterValueType.signedMeterData: check the ocpp-rpc version');
  return [withOccurrenceSpelledFor201(createValidator('ocpp2.0.1', schemas as never))];
}

/**
 * ocpp-rpc names a missing required field `OccurenceConstraintViolation`, OCPP-J 1.6's spelling, in
 * every version (it corrects only 1.6 connections, to the errata's `OccurrenceConstraintViolation`).
 * OCPP-J 2.0.1 (§4.3) defines only `OccurrenceConstraintViolation`, so a 2.0.1 station would get a
 * code it does not know: the 2.0.1 validator answers with 2.0.1's word, message and details kept.
 */
function withOccurrenceSpelledFor201(validator: ReturnType<typeof createValidator>): ReturnType<typeof createValidator> {
  const validate = validator.validate.bind(validator);
  validator.validate = (schemaId: string, params: unknown) => {
    try {
      return validate(schemaId, params);
    } catch (e) {
      const error = e as Error & { rpcErrorCode?: string; details?: Record<string, unknown> };
      if (error.rpcErrorCode !== 'OccurenceConstraintViolation') throw e;
      throw createRPCError('OccurrenceConstraintViolation', error.message, error.details);
    }
  };
  return validator;
}
