// The environment's Namespace, when the environment asks for it (createNamespace). It carries
// ferry's managed-by and environment labels but no service label, so pruning a service never
// selects it.
import type { Environment } from '../../model/types.ts';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, MANAGED_BY } from './labels.ts';
import { labelValue } from './names.ts';
import type { Namespace } from './object.ts';

export function renderNamespace(env: Environment): Namespace | undefined {
  if (!env.createNamespace) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: env.namespace,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_ENVIRONMENT]: labelValue(env.name) },
    },
  };
}
