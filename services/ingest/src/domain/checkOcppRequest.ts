import { readFileSync } from 'node:fs';
import { createValidator } from 'ocpp-rpc';
import { quoteBounded } from '@metrology-ledger/ledger';

type Version = '1.6' | '2.0.1';
type OcppValidator = ReturnType<typeof createValidator>;

const SCHEMA_FILES: Record<Version, string> = { '1.6': 'ocpp1_6.json', '2.0.1': 'ocpp2_0_1.json' };
const validators = new Map<Version, OcppValidator>();

/** The official OCPP JSON schemas of a version, as ocpp-rpc ships them, compiled once. */
function validatorOf(version: Version): OcppValidator {
  let v = validators.get(version);
  if (!v) {
    const schemas = JSON.parse(readFileSync(require.resolve(`ocpp-rpc/lib/schemas/${SCHEMA_FILES[version]}`), 'utf8')) as unknown[];
    v = createValidator(`ocpp${version}`, schemas as never);
    validators.set(version, v);
  }
  return v;
}

/**
 * Checks a CALL payload against the official OCPP JSON schema of its action (`urn:<action>.req`,
 * ajv with formats, as ocpp-rpc validates at the edge); undefined when it conforms, else why not,
 * as ajv says it (bounded). Ingest does not take the edge's validation on trust.
 */
export function checkOcppRequest(version: Version, action: string, payload: unknown): string | undefined {
  try {
    validatorOf(version).validate(`urn:${action}.req`, payload);
    return undefined;
  } catch (e) {
    return `it breaks the OCPP ${version} JSON schema of ${action}.req: ${quoteBounded((e as Error).message, 300)}`;
  }
}
