// Applying an object set and pruning what the set no longer has. Pruning selects by ferry's
// labels (managed-by=ferry + service + environment), so it never touches anything ferry did not
// create; PersistentVolumeClaims are never pruned (their data outlives a manifest edit).
import type { Cluster, KObject } from '../cluster/types.ts';
import { formatRef, refOf } from '../cluster/types.ts';
import { pruneSelector } from '../render/kubernetes/labels.ts';

/** Kinds ferry renders for a service, hence the kinds pruning looks at. */
export const PRUNABLE_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
];

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface ApplyResult {
  applied: string[];
  /** objects of kinds the API server does not serve (CRD not installed), not applied */
  skipped: string[];
  /** what the API server returned for each applied object (with generation, uid) */
  live: KObject[];
}

/** Server-side applies `objects` in order. Kinds the server does not serve are skipped and reported. */
export async function applyObjects(cluster: Cluster, objects: readonly KObject[]): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], skipped: [], live: [] };
  const kinds = [...new Map(objects.map((o) => [`${o.apiVersion}/${o.kind}`, o])).values()];
  const served = new Map<string, boolean>(
    await Promise.all(
      kinds.map(
        async (o) => [`${o.apiVersion}/${o.kind}`, await cluster.serves(o.apiVersion, o.kind)] as const,
      ),
    ),
  );
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!served.get(key)) {
      result.skipped.push(`${o.kind}/${o.metadata.name} (${o.apiVersion} not served by the cluster)`);
      continue;
    }
    result.live.push(await cluster.apply(o));
    result.applied.push(`${o.kind}/${o.metadata.name}`);
  }
  return result;
}

/**
 * Deletes ferry's live objects of (service, environment) in `namespace` that `keep` does not name.
 * `kinds` limits the kinds looked at (e.g. to those any stored release of the service had);
 * default: every kind ferry renders.
 */
export async function pruneObjects(
  cluster: Cluster,
  service: string,
  environment: string,
  namespace: string,
  keep: readonly KObject[],
  kinds: ReadonlySet<string> | undefined = undefined,
): Promise<string[]> {
  const keepKeys = new Set(keep.map((o) => `${o.kind}/${o.metadata.name}`));
  const selector = selectorString(pruneSelector(service, environment));
  const pruned: string[] = [];
  const candidates = PRUNABLE_KINDS.filter((k) => !kinds || kinds.has(k.kind));
  const lists = await Promise.all(
    candidates.map(async (k) =>
      (await cluster.serves(k.apiVersion, k.kind))
        ? cluster.list(k.apiVersion, k.kind, namespace, selector)
        : [],
    ),
  );
  for (const [i, k] of candidates.entries()) {
    const live = lists[i] ?? [];
    for (const o of live.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      if (keepKeys.has(`${k.kind}/${o.metadata.name}`)) continue;
      if (await cluster.delete({ ...refOf(o), apiVersion: k.apiVersion, kind: k.kind })) {
        pruned.push(formatRef({ ...refOf(o), kind: k.kind, namespace: undefined }));
      }
    }
  }
  return pruned;
}
