// DaemonSet health after kubectl's rollout_status.go: the current generation observed, the
// updated pods scheduled on every node that should run one, and all of them available.
import type { KObject } from '../../cluster/types.ts';
import { healthy, progressing, type Health } from './types.ts';

interface DaemonSetShape {
  metadata: { generation?: number; deletionTimestamp?: string };
  spec?: { updateStrategy?: { type?: string } };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

export function daemonSetHealth(obj: KObject): Health {
  const d = obj as unknown as DaemonSetShape;
  if (d.metadata.deletionTimestamp) return progressing('pending deletion');
  if ((d.metadata.generation ?? 0) > (d.status?.observedGeneration ?? 0))
    return progressing('waiting for the rollout to be observed');
  if (d.spec?.updateStrategy?.type === 'OnDelete') return healthy('OnDelete updates: pods roll when deleted');
  const desired = d.status?.desiredNumberScheduled ?? 0;
  const updated = d.status?.updatedNumberScheduled ?? 0;
  const available = d.status?.numberAvailable ?? 0;
  if (updated < desired) return progressing(`${updated}/${desired} updated`);
  if (available < desired) return progressing(`${available}/${desired} available`);
  return healthy(`${available}/${desired} available`);
}
