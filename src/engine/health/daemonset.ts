// DaemonSet health after kubectl's rollout_status.go (DaemonSetStatusViewer): nothing counts
// until the controller has observed the current generation; then every node that should run a
// pod runs an updated one, and every updated pod is available. OnDelete updates only replace pods
// when they are deleted, so there is no rollout to wait for (gitops-engine: healthy).
import type { KObject } from '../../cluster/types.ts';
import { healthy, progressing, type Health } from './types.ts';

interface DaemonSetShape {
  metadata: { generation?: number; deletionTimestamp?: string };
  spec?: { updateStrategy?: { type?: string } };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    numberReady?: number;
  };
}

export interface DaemonCounts {
  /** nodes that should run a pod */
  desired: number;
  updated: number;
  available: number;
  ready: number;
}

export function daemonCounts(obj: KObject): DaemonCounts {
  const s = (obj as unknown as DaemonSetShape).status ?? {};
  return {
    desired: s.desiredNumberScheduled ?? 0,
    updated: s.updatedNumberScheduled ?? 0,
    available: s.numberAvailable ?? 0,
    ready: s.numberReady ?? 0,
  };
}

export function daemonSetHealth(obj: KObject): Health {
  const d = obj as unknown as DaemonSetShape;
  if (d.metadata.deletionTimestamp) return progressing('pending deletion');
  if ((d.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'OnDelete')
    return healthy('OnDelete updates: pods are replaced when deleted');
  if ((d.metadata.generation ?? 0) > (d.status?.observedGeneration ?? 0))
    return progressing('waiting for the rollout to be observed');
  const c = daemonCounts(obj);
  if (c.updated < c.desired) return progressing(`${c.updated}/${c.desired} nodes updated`);
  if (c.available < c.desired) return progressing(`${c.available}/${c.desired} ready`);
  return healthy(c.desired === 0 ? 'no node matches its placement' : `${c.available}/${c.desired} ready`);
}
