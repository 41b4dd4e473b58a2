// track: waits until every Deployment and DaemonSet of the apply set has rolled out, by watching
// them and their pods. Health follows kubectl's rules (observedGeneration first); pods of
// the NEW template that crash-loop, cannot pull their image, cannot be scheduled or fail end the
// wait at once instead of at progressDeadlineSeconds.
import type { Cluster, KObject } from '../cluster/types.ts';
import { pruneSelector } from '../render/kubernetes/labels.ts';
import { selectorString } from './apply.ts';
import {
  daemonCounts,
  daemonSetHealth,
  deadlineExceededAt,
  deploymentHealth,
  podHealth,
  podReady,
} from './health/index.ts';
import { objectsOf, waitFor, type Snapshot, type Verdict, type WaitOptions } from './watch.ts';

/** The kinds track and observe wait for: what runs the service's pods. */
export const ROLLOUT_KINDS: readonly string[] = ['Deployment', 'DaemonSet'];

interface Target {
  kind?: string;
  name: string;
  generation: number;
  /** a Deployment's replicas; a DaemonSet's comes from its live status (the nodes it matches) */
  desired: number;
  templateLabels: Record<string, string>;
  /** a deadline condition the object had before this rollout (deploymentHealth's staleDeadline) */
  staleDeadline?: string;
}

/** Labels the controllers add to the pods of a template (ReplicaSet, DaemonSet). */
const CONTROLLER_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
]);

/** The pod template's labels of a Deployment or DaemonSet (what its pods carry). */
export function templateLabels(d: KObject): Record<string, string> {
  const spec = d.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
  return spec?.template?.metadata?.labels ?? {};
}

/**
 * Pods created from this exact template: the template's labels and no others (besides the
 * controller's pod-template-hash), not being deleted.
 */
export function podsOf(pods: readonly KObject[], labels: Record<string, string>): KObject[] {
  return pods.filter((p) => {
    if (p.metadata.deletionTimestamp) return false;
    const own = p.metadata.labels ?? {};
    if (!Object.entries(labels).every(([k, v]) => own[k] === v)) return false;
    return Object.keys(own).every((k) => k in labels || CONTROLLER_LABELS.has(k));
  });
}

export function rolloutVerdict(targets: readonly Target[], s: Snapshot): Verdict {
  const pods = objectsOf(s, 'Pod');
  const waiting: string[] = [];
  let ready = 0;
  let desired = 0;
  for (const t of targets) {
    const kind = t.kind ?? 'Deployment';
    const mine = podsOf(pods, t.templateLabels);
    for (const p of mine) {
      const h = podHealth(p);
      if (h.status === 'failed') return { state: 'failed', message: `${kind}/${t.name}: ${h.message}` };
    }
    const live = s.get(kind)?.get(t.name);
    const want = kind === 'DaemonSet' ? (live ? daemonCounts(live).desired : 0) : t.desired;
    desired += want;
    ready += Math.min(want, mine.filter(podReady).length);
    if (!live || (live.metadata.generation ?? 0) < t.generation) {
      waiting.push(`${t.name}: waiting for the update`);
      continue;
    }
    const h = kind === 'DaemonSet' ? daemonSetHealth(live) : deploymentHealth(live, t.staleDeadline);
    if (h.status === 'failed') return { state: 'failed', message: `${kind}/${t.name}: ${h.message}` };
    if (h.status !== 'healthy') waiting.push(`${t.name}: ${h.message}`);
  }
  const counts = `${ready}/${desired} ready`;
  if (waiting.length === 0) return { state: 'done', message: counts };
  return { state: 'waiting', message: targets.length === 1 ? counts : `${counts} (${waiting.join('; ')})` };
}

/**
 * Waits for the Deployments and DaemonSets among `applied` (as returned by the apply, with their
 * generation) to roll out. Returns e.g. "4/4 ready".
 */
export async function trackRollout(
  cluster: Cluster,
  namespace: string,
  service: string,
  environment: string,
  applied: readonly KObject[],
  opts: WaitOptions,
): Promise<string> {
  const targets: Target[] = applied
    .filter((o) => ROLLOUT_KINDS.includes(o.kind))
    .map((d) => ({
      kind: d.kind,
      name: d.metadata.name,
      generation: d.metadata.generation ?? 0,
      desired: (d.spec as { replicas?: number } | undefined)?.replicas ?? 1,
      templateLabels: templateLabels(d),
      // the apply's answer carries the status from before the controller saw the new generation
      ...(d.kind === 'Deployment' && deadlineExceededAt(d) !== undefined
        ? { staleDeadline: deadlineExceededAt(d) }
        : {}),
    }));
  if (targets.length === 0) return 'no Deployments or DaemonSets to track';
  const selector = selectorString(pruneSelector(service, environment));
  const kinds = ROLLOUT_KINDS.filter((k) => targets.some((t) => t.kind === k));
  return waitFor(
    cluster,
    namespace,
    [
      ...kinds.map((kind) => ({ apiVersion: 'apps/v1', kind, labelSelector: selector })),
      { apiVersion: 'v1', kind: 'Pod', labelSelector: selector },
    ],
    (s) => rolloutVerdict(targets, s),
    opts,
  );
}
