// A PodDisruptionBudget when two or more pods run (instances, or the autoscaler's minimum): node
// drains then take one pod at a time. With one pod a budget would block drains forever.
import type { Workload } from '../../model/types.ts';
import { selectorLabels, staticLabels } from './labels.ts';
import { labelName } from './names.ts';
import type { PodDisruptionBudget } from './object.ts';

export function renderPdb(w: Workload): PodDisruptionBudget | undefined {
  const pods = w.autoscale ? w.autoscale.min : w.instances;
  if (pods < 2) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name: labelName(w.service),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(w, 'web') } },
  };
}
