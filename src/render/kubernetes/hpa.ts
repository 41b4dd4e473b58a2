// A HorizontalPodAutoscaler (autoscaling/v2) for `autoscale`. The CPU target is a percentage of the
// LIMIT (the manifest's cpu, as everywhere in ferry), rendered as an AverageValue: Kubernetes'
// "Utilization" is relative to the request, which policy.cpuRequestRatio makes a fraction of the
// limit, so 70% Utilization would mean 17.5% of the limit at the default ratio 0.25.
import type { Workload } from '../../model/types.ts';
import { staticLabels } from './labels.ts';
import { deploymentName } from './deployment.ts';
import { labelName } from './names.ts';
import type { HorizontalPodAutoscaler } from './object.ts';
import { cpuQuantity } from './resources.ts';

export function renderHpa(w: Workload): HorizontalPodAutoscaler | undefined {
  const a = w.autoscale;
  if (!a) return undefined;
  const targetMillis = Math.max(1, Math.round((w.resources.cpuMillis * a.cpuTargetPercent) / 100));
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: labelName(w.service),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: w.stateful ? 'StatefulSet' : 'Deployment',
        name: deploymentName(w),
      },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'AverageValue', averageValue: cpuQuantity(targetMillis) },
          },
        },
      ],
    },
  };
}
