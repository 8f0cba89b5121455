import { describeResource, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { fieldPath, fieldPathOfPointer } from '../fieldPath';
import type { ModelClass } from './ModelCatalog';
import { recordFieldReads } from './recordFieldReads';

interface CompiledError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function describeCompiledError(e: CompiledError): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return `required field ${JSON.stringify(p.missingProperty)} is missing`;
    case 'type':
      return `must be ${String(p.type)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'format':
      return `must be of format ${JSON.stringify(p.format)}`;
    default:
      return e.message ?? `breaks the schema's "${e.keyword}" rule ${JSON.stringify(p)}`;
  }
}

/**
 * Validates a document with its kubernetes-models class (`validate()`: types, enums, required fields)
 * and strictly: the fields the compiled validator never reads are not in the schema (see
 * recordFieldReads), and each is a problem — kubectl and the API server would drop them silently.
 */
export function validateAgainstModel(
  doc: K8sDocument,
  model: ModelClass,
  target: string,
  options: { resource?: string; schemaName?: string } = {},
): Problem[] {
  const resource = options.resource ?? describeResource(doc);
  const schemaName = options.schemaName ?? `${doc.apiVersion} ${doc.kind}`;
  const problems: Problem[] = [];
  const recording = recordFieldReads(doc);
  try {
    model.prototype.validate.call(recording.proxy);
  } catch (e) {
    const errors = (e as { errors?: CompiledError[] }).errors;
    if (!Array.isArray(errors)) throw e;
    for (const err of errors) {
      problems.push({ code: 'schema', target, resource, path: fieldPathOfPointer(err.instancePath) || undefined, message: `${describeCompiledError(err)} (${schemaName})` });
    }
  }
  for (const path of recording.unread()) {
    problems.push({
      code: 'unknown-field',
      target,
      resource,
      path: fieldPath(path),
      message: `field not defined by the schema of ${schemaName}: misspelled or misplaced? kubectl and the API server would drop it`,
    });
  }
  return problems;
}
