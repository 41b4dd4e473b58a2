// The Deployment (apps/v1): zero-unavailable rolling updates, bounded progress, probes from `health`.
// With autoscale the HPA owns `replicas`, so the Deployment leaves it out (re-applying a release must
// not reset the autoscaler's choice). With a ReadWriteOnce volume the strategy is Recreate: a
// surge pod on another node could never attach the volume.
import type { Workload } from '../../model/types.ts';
import { selectorLabels, workloadMetadata } from './labels.ts';
import { labelName } from './names.ts';
import type { Deployment } from './object.ts';
import { podTemplate } from './pod.ts';
import { hasSingleNodeVolume } from './pvc.ts';

export function deploymentName(w: Workload): string {
  return labelName(w.service);
}

export function renderDeployment(w: Workload): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deploymentName(w),
      namespace: w.environment.namespace,
      ...workloadMetadata(w, 'web'),
    },
    spec: {
      selector: { matchLabels: selectorLabels(w, 'web') },
      progressDeadlineSeconds: w.policy.progressDeadlineSeconds,
      revisionHistoryLimit: w.policy.revisionHistoryLimit,
      strategy: hasSingleNodeVolume(w)
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: podTemplate(w, {
        component: 'web',
        command: w.command,
        args: w.args,
        resources: w.resources,
        restartPolicy: 'Always',
        serve: true,
      }),
    },
  };
  if (!w.autoscale) d.spec!.replicas = w.instances;
  return d;
}
