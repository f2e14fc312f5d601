import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './deployment-files';

/**
 * Offline validation against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.27) and
 * KEDA's CRD schema (@kubernetes-models/keda, KEDA 2.10).
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

export function k8sSchemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name}`;
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    // kustomize wraps long base64 values over lines, which the API server accepts (Go's base64
    // decoder skips newlines) but the schema's `byte` format does not.
    const data = object.kind === 'Secret' ? (object.data as Record<string, string> | undefined) : undefined;
    const checked = data
      ? {
          ...object,
          data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.replace(/\s+/g, '')])),
        }
      : object;
    try {
      new Model(checked as never).validate();
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return problems;
}
