// `stateful: true` → a StatefulSet (apps/v1): stable pod names, one claim per pod and volume from
// volumeClaimTemplates (the claims outlive the StatefulSet: Retain), governed by the headless
// Service <service>-headless. Rolling updates replace one pod at a time, highest ordinal first.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { Workload } from '../../model/types.ts';
import { selectorLabels, staticLabels, workloadMetadata } from './labels.ts';
import { labelName } from './names.ts';
import type { StatefulSet } from './object.ts';
import { podTemplate } from './pod.ts';
import { memoryQuantity } from './resources.ts';
import { headlessServiceName } from './service.ts';

export function statefulSetName(w: Workload): string {
  return labelName(w.service);
}

function claimTemplate(w: Workload, v: Workload['volumes'][number]): V1PersistentVolumeClaim {
  const spec: NonNullable<V1PersistentVolumeClaim['spec']> = {
    accessModes: [v.access],
    resources: { requests: { storage: memoryQuantity(v.sizeBytes) } },
  };
  if (v.storageClass !== undefined) spec.storageClassName = v.storageClass;
  // volumeClaimTemplates cannot change after the StatefulSet is made: no version in them
  return { metadata: { name: v.name, labels: staticLabels(w, 'web') }, spec };
}

export function renderStatefulSet(w: Workload): StatefulSet {
  const s: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: statefulSetName(w),
      namespace: w.environment.namespace,
      ...workloadMetadata(w, 'web'),
    },
    spec: {
      serviceName: headlessServiceName(w),
      selector: { matchLabels: selectorLabels(w, 'web') },
      revisionHistoryLimit: w.policy.revisionHistoryLimit,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
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
  if (w.volumes.length > 0) s.spec!.volumeClaimTemplates = w.volumes.map((v) => claimTemplate(w, v));
  if (!w.autoscale) s.spec!.replicas = w.instances;
  return s;
}
