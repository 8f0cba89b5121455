import { apiGroupOf, describeResource, type K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import type { CrdSchemaSet } from './CrdSchemaSet';
import type { ModelCatalog } from './ModelCatalog';
import { validateAgainstCrd } from './validateAgainstCrd';
import { normalizeForValidation } from './normalizeForValidation';
import { validateAgainstModel } from './validateAgainstModel';

/**
 * Every rendered document against its schema: custom resources whose CRDs are kept as data (Strimzi)
 * with ajv and the strict walk; everything else with kubernetes-models or the @kubernetes-models
 * packages, strictly. A kind no schema here defines is a problem, never skipped.
 */
export async function validateSchemas(documents: K8sDocument[], target: string, models: ModelCatalog, crds: CrdSchemaSet): Promise<Problem[]> {
  const problems: Problem[] = [];
  const objectMeta = await models.find('v1', 'ConfigMap');
  for (const doc of documents) {
    const resource = describeResource(doc);
    if (crds.groups.has(apiGroupOf(doc.apiVersion))) {
      problems.push(...validateAgainstCrd(doc, crds, target));
      // A custom resource's metadata is ObjectMeta: checked with the same model as any built-in kind's.
      if (objectMeta) {
        problems.push(
          ...validateAgainstModel({ apiVersion: 'v1', kind: 'ConfigMap', metadata: doc.metadata }, objectMeta, target, { resource, schemaName: 'ObjectMeta' }),
        );
      }
      continue;
    }
    const model = await models.find(doc.apiVersion, doc.kind);
    if (!model) {
      problems.push({
        code: 'unknown-kind',
        target,
        resource,
        message: `no schema for ${doc.apiVersion} ${doc.kind} (kubernetes-models, @kubernetes-models/{keda,prometheus-operator,cloudnative-pg,cert-manager}, or the CRDs kept as data): it cannot be validated; use a kind and version these define, or add its schema to tools/manifests`,
      });
      continue;
    }
    problems.push(...validateAgainstModel(normalizeForValidation(doc), model, target));
  }
  return problems;
}
