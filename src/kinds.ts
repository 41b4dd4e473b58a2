// One table of the kinds ferry renders or watches: API version, plural (the REST path), apply
// order, whether pruning and `ferry diff` look for leftovers of the kind, and which health check
// the engine runs on it. Render order, pruning, diff, plural lookup and health dispatch all read
// this table, so a kind added here is handled everywhere. A leaf module like errors.ts: it
// imports nothing, and every layer may read it.

/** The engine's health checkers, by name (engine/health dispatches on it). */
export type HealthCheck = 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'pod';

export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** the resource's plural: its REST path segment */
  plural: string;
  namespaced: boolean;
  /**
   * Objects of this kind that a release no longer has are deleted on deploy and shown by diff.
   * False for data (PersistentVolumeClaim), run-once Jobs and what ferry does not render.
   */
  prunable: boolean;
  /** rendered by ferry into a release's objects */
  rendered: boolean;
  health: HealthCheck | undefined;
}

const kind = (
  k: string,
  apiVersion: string,
  plural: string,
  o: Partial<Pick<KindInfo, 'namespaced' | 'prunable' | 'rendered' | 'health'>> = {},
): KindInfo => ({
  kind: k,
  apiVersion,
  plural,
  namespaced: o.namespaced ?? true,
  prunable: o.prunable ?? true,
  rendered: o.rendered ?? true,
  health: o.health,
});

/** In apply order: what others refer to comes first (namespace, secrets, storage, service), then workloads, then what watches them. */
export const KINDS: readonly KindInfo[] = [
  kind('Namespace', 'v1', 'namespaces', { namespaced: false, prunable: false }),
  kind('ExternalSecret', 'external-secrets.io/v1', 'externalsecrets'),
  kind('ConfigMap', 'v1', 'configmaps'),
  kind('Secret', 'v1', 'secrets'),
  kind('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', { prunable: false }),
  kind('Service', 'v1', 'services'),
  kind('Deployment', 'apps/v1', 'deployments', { health: 'deployment' }),
  kind('StatefulSet', 'apps/v1', 'statefulsets', { health: 'statefulset' }),
  kind('DaemonSet', 'apps/v1', 'daemonsets', { health: 'daemonset' }),
  kind('CronJob', 'batch/v1', 'cronjobs'),
  kind('Job', 'batch/v1', 'jobs', { prunable: false, health: 'job' }),
  kind('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'),
  kind('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'),
  kind('Ingress', 'networking.k8s.io/v1', 'ingresses'),
  kind('PrometheusRule', 'monitoring.coreos.com/v1', 'prometheusrules'),
  // watched, never rendered
  kind('Pod', 'v1', 'pods', { prunable: false, rendered: false, health: 'pod' }),
  kind('ReplicaSet', 'apps/v1', 'replicasets', { prunable: false, rendered: false }),
  kind('Event', 'v1', 'events', { prunable: false, rendered: false }),
  kind('Lease', 'coordination.k8s.io/v1', 'leases', { prunable: false, rendered: false }),
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** The kinds pruning and diff look at for leftovers. */
export const PRUNABLE_KINDS: readonly KindInfo[] = KINDS.filter((k) => k.prunable);

/** The kinds a release's objects may have, in apply order. */
export const KIND_ORDER: readonly string[] = KINDS.filter((k) => k.rendered).map((k) => k.kind);
