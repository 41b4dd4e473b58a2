// Early failure signals from pods: states that will not fix themselves without a new release.
// kubectl's rollout status only notices them at progressDeadlineSeconds; ferry fails at once.
import type { KObject } from '../../cluster/types.ts';
import { failed, healthy, progressing, type Health } from './types.ts';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

interface PodShape {
  metadata: { name: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** Waiting reasons that mean the container will not start with this spec. */
export const fatalWaitingReasons: readonly string[] = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
];

export function podRestarts(obj: KObject): number {
  const p = obj as unknown as PodShape;
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

export function podReady(obj: KObject): boolean {
  const p = obj as unknown as PodShape;
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Health of one pod: failed when certain, healthy when running and ready or succeeded. */
export function podHealth(obj: KObject): Health {
  const p = obj as unknown as PodShape;
  const name = p.metadata.name;
  const s = p.status ?? {};
  if (s.phase === 'Failed') {
    const term = (s.containerStatuses ?? []).find((c) => c.state?.terminated)?.state?.terminated;
    const why = s.reason ?? term?.reason ?? 'Failed';
    return failed(
      `pod ${name} failed: ${why}${term?.exitCode !== undefined ? ` (exit ${term.exitCode})` : ''}`,
    );
  }
  if (s.phase === 'Succeeded') return healthy(`pod ${name} succeeded`);
  for (const c of [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && fatalWaitingReasons.includes(w.reason)) {
      const last = c.lastState?.terminated;
      const detail = last ? `, last exit ${last.exitCode ?? '?'} ${last.reason ?? ''}`.trimEnd() : '';
      return failed(
        `pod ${name} container ${c.name}: ${w.reason}${w.message ? ` (${w.message})` : ''}${detail}, restarts ${c.restartCount ?? 0}`,
      );
    }
  }
  const sched = (s.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (sched?.status === 'False' && sched.reason === 'Unschedulable') {
    return failed(`pod ${name} unschedulable: ${sched.message ?? ''}`.trim());
  }
  if (p.metadata.deletionTimestamp) return progressing(`pod ${name} terminating`);
  if (podReady(obj)) return healthy(`pod ${name} ready`);
  return progressing(`pod ${name} ${s.phase ?? 'Pending'}`);
}
