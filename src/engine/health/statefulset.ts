// StatefulSet health after kubectl's rollout_status.go: the current generation observed, every
// replica ready, the updated ones past the partition, and (without a partition) the update
// revision current. OnDelete updates are healthy once observed (the user rolls the pods).
import type { KObject } from '../../cluster/types.ts';
import { healthy, progressing, type Health } from './types.ts';

interface StatefulSetShape {
  metadata: { generation?: number; deletionTimestamp?: string };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

export function statefulSetHealth(obj: KObject): Health {
  const s = obj as unknown as StatefulSetShape;
  if (s.metadata.deletionTimestamp) return progressing('pending deletion');
  if ((s.metadata.generation ?? 0) > (s.status?.observedGeneration ?? 0))
    return progressing('waiting for the rollout to be observed');
  if (s.spec?.updateStrategy?.type === 'OnDelete') return healthy('OnDelete updates: pods roll when deleted');
  const desired = s.spec?.replicas ?? 1;
  const ready = s.status?.readyReplicas ?? 0;
  if (ready < desired) return progressing(`${ready}/${desired} ready`);
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const updated = s.status?.updatedReplicas ?? 0;
  if (partition > 0) {
    if (updated < desired - partition) return progressing(`${updated}/${desired - partition} updated`);
    return healthy(`${updated} updated past partition ${partition}`);
  }
  if (s.status?.updateRevision !== s.status?.currentRevision)
    return progressing(`${updated}/${desired} updated`);
  return healthy(`${ready}/${desired} ready`);
}
