import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { describeResource, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { fieldPath, fieldPathOfPointer } from '../fieldPath';
import type { CrdSchemaSet } from './CrdSchemaSet';
import { findUnknownFields } from './findUnknownFields';
import type { JsonSchema } from './JsonSchema';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type']) {
  ajv.addKeyword({ keyword });
}
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** ajv's message with the detail a person needs (the allowed values, the missing field). */
export function describeAjvError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'enum') return `${e.message}: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'required') return `required field ${JSON.stringify(params.missingProperty)} is missing`;
  if (e.keyword === 'additionalProperties') return `${e.message}: ${JSON.stringify(params.additionalProperty)}`;
  return e.message ?? e.keyword;
}

/**
 * Validates a custom resource against its CRD's openAPIV3Schema (types, enums, required fields, bounds)
 * and strictly: every field the schema does not define is a problem. The CRD's CEL rules
 * (x-kubernetes-validations) are not evaluated. `metadata` is left to the ObjectMeta check.
 */
export function validateAgainstCrd(doc: K8sDocument, crds: CrdSchemaSet, target: string): Problem[] {
  const resource = describeResource(doc);
  const found = crds.lookup(doc.apiVersion, doc.kind);
  if (!found.found) {
    const message =
      found.reason === 'version-not-served'
        ? `${doc.apiVersion} is not a version the CRD serves (served: ${found.served.join(', ') || 'none'})`
        : `no CRD defines ${doc.kind} in ${doc.apiVersion}`;
    return [{ code: 'unknown-kind', target, resource, message }];
  }
  let validate = compiled.get(found.schema);
  if (!validate) {
    validate = ajv.compile(found.schema);
    compiled.set(found.schema, validate);
  }
  const problems: Problem[] = [];
  const { metadata: _metadata, ...rest } = doc;
  if (!validate({ ...rest, metadata: {} })) {
    for (const e of validate.errors ?? []) {
      problems.push({ code: 'schema', target, resource, path: fieldPathOfPointer(e.instancePath) || undefined, message: `${describeAjvError(e)} (${found.crd})` });
    }
  }
  for (const u of findUnknownFields(doc, found.schema, new Set(['metadata']))) {
    problems.push({ code: 'unknown-field', target, resource, path: fieldPath(u.path), message: `field not defined by the schema of ${doc.apiVersion} ${doc.kind} (${found.crd}): misspelled or misplaced? The API server would drop it` });
  }
  return problems;
}
