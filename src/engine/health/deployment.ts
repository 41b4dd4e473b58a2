// Deployment health after kubectl's rollout_status.go: nothing counts until the controller has
// observed the current generation; ProgressDeadlineExceeded is the deadline failure; then
// updated, total and available replicas. Paused → suspended (gitops-engine).
import type { KObject } from '../../cluster/types.ts';
import { failed, healthy, progressing, type Health } from './types.ts';

interface DeploymentShape {
  metadata: { generation?: number; deletionTimestamp?: string };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: {
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastUpdateTime?: string;
    }[];
  };
}

export interface ReplicaCounts {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  total: number;
}

export function replicaCounts(obj: KObject): ReplicaCounts {
  const d = obj as unknown as DeploymentShape;
  const s = d.status ?? {};
  return {
    desired: d.spec?.replicas ?? 1,
    updated: s.updatedReplicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    total: s.replicas ?? 0,
  };
}

/** When the Deployment's Progressing condition says its deadline passed (undefined when it does not). */
export function deadlineExceededAt(obj: KObject): string | undefined {
  const d = obj as unknown as DeploymentShape;
  const c = d.status?.conditions?.find((x) => x.type === 'Progressing');
  return c?.reason === 'ProgressDeadlineExceeded' ? (c.lastUpdateTime ?? '') : undefined;
}

/**
 * `staleDeadline`: a ProgressDeadlineExceeded condition with this update time was there before
 * the rollout being tracked began (the controller keeps a condition's time while its reason
 * stays), so it says nothing about this rollout — a revert after a timed-out rollout would
 * otherwise read the old timeout as its own (kubectl's `rollout status` after `undo` does).
 */
export function deploymentHealth(obj: KObject, staleDeadline?: string): Health {
  const d = obj as unknown as DeploymentShape;
  if (d.metadata.deletionTimestamp) return progressing('pending deletion');
  if (d.spec?.paused) return { status: 'suspended', message: 'rollout is paused' };
  const generation = d.metadata.generation ?? 0;
  const observed = d.status?.observedGeneration ?? 0;
  if (generation > observed) return progressing('waiting for the rollout to be observed');
  const deadline = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (
    deadline?.reason === 'ProgressDeadlineExceeded' &&
    (staleDeadline === undefined || (deadline.lastUpdateTime ?? '') !== staleDeadline)
  ) {
    return failed(`exceeded its progress deadline${deadline.message ? `: ${deadline.message}` : ''}`);
  }
  const c = replicaCounts(obj);
  if (c.updated < c.desired) return progressing(`${c.updated}/${c.desired} updated`);
  if (c.total > c.updated) return progressing(`${c.total - c.updated} old replicas pending termination`);
  if (c.available < c.updated) return progressing(`${c.available}/${c.desired} ready`);
  return healthy(`${c.available}/${c.desired} ready`);
}
