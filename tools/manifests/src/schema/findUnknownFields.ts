import { isObject } from '../K8sDocument';
import type { JsonSchema } from './JsonSchema';

/** A field present in a document that its schema does not define. */
export interface UnknownField {
  path: Array<string | number>;
}

/** The schema and every schema it combines (allOf, anyOf, oneOf), flattened. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [schema];
  for (const list of [schema.allOf, schema.anyOf, schema.oneOf]) for (const s of list ?? []) out.push(...alternatives(s));
  return out;
}

/**
 * Walks a document against a structural JSON schema (a CRD's openAPIV3Schema) and returns every field
 * the schema does not define — the fields the API server would silently prune. An object may hold
 * unknown fields only where the schema says so: `additionalProperties` (a map) or
 * `x-kubernetes-preserve-unknown-fields`. Nested objects and array items are walked too.
 * `skip` names top-level fields checked elsewhere (a custom resource's `metadata` is ObjectMeta).
 */
export function findUnknownFields(value: unknown, schema: JsonSchema, skip: ReadonlySet<string> = new Set()): UnknownField[] {
  const out: UnknownField[] = [];
  walk(value, schema, [], out, skip);
  return out;
}

function walk(value: unknown, schema: JsonSchema, path: Array<string | number>, out: UnknownField[], skip: ReadonlySet<string>): void {
  const all = alternatives(schema);
  if (Array.isArray(value)) {
    const items = all.map((s) => s.items).filter((i): i is JsonSchema => isObject(i));
    if (items.length === 0) return;
    value.forEach((item, i) => walk(item, items.length === 1 ? items[0] : { allOf: items }, [...path, i], out, skip));
    return;
  }
  if (!isObject(value)) return;
  const preserve = all.some((s) => s['x-kubernetes-preserve-unknown-fields'] === true);
  const embedded = all.some((s) => s['x-kubernetes-embedded-resource'] === true);
  const additional = all.map((s) => s.additionalProperties).find((a) => a !== undefined && a !== false);
  for (const key of Object.keys(value)) {
    if (path.length === 0 && skip.has(key)) continue;
    const defined = all.map((s) => s.properties?.[key]).filter((p): p is JsonSchema => p !== undefined);
    if (defined.length > 0) {
      walk(value[key], defined.length === 1 ? defined[0] : { allOf: defined }, [...path, key], out, skip);
    } else if (isObject(additional)) {
      walk(value[key], additional, [...path, key], out, skip);
    } else if (additional === true || preserve || (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata'))) {
      continue;
    } else {
      out.push({ path: [...path, key] });
    }
  }
}
