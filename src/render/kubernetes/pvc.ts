// One PersistentVolumeClaim per declared volume, mounted by the Deployment's pods.
import type { Volume, Workload } from '../../model/types.ts';
import { ANNOTATION_PRUNE, PRUNE_NEVER, staticLabels } from './labels.ts';
import { objectName } from './names.ts';
import type { PersistentVolumeClaim } from './object.ts';
import { memoryQuantity } from './resources.ts';

export function claimName(service: string, volume: string): string {
  return objectName(`${service}-${volume}`);
}

export function renderPvc(w: Workload, v: Volume): PersistentVolumeClaim {
  const pvc: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(w.service, v.name),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
      annotations: { [ANNOTATION_PRUNE]: PRUNE_NEVER },
    },
    spec: { accessModes: [v.access], resources: { requests: { storage: memoryQuantity(v.sizeBytes) } } },
  };
  if (v.storageClass !== undefined) pvc.spec!.storageClassName = v.storageClass;
  return pvc;
}

/** A ReadWriteOnce volume can be attached to one node only: the Deployment must Recreate. */
export function hasSingleNodeVolume(w: Workload): boolean {
  return w.volumes.some((v) => v.access === 'ReadWriteOnce');
}
