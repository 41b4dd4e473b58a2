// The fixed order in which kinds are applied and printed: what others refer to comes first
// (namespace, secrets, storage, service), then workloads, then what watches them.
import type { KubeObject } from './object.ts';

export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'ExternalSecret',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'Job',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Ingress',
  'PrometheusRule',
];

const rank = new Map(KIND_ORDER.map((k, i) => [k, i]));

function kindRank(kind: string): number {
  return rank.get(kind) ?? KIND_ORDER.length;
}

/** Compares by kind order, then kind name (unknown kinds), namespace and name. */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  const ka = kindRank(a.kind);
  const kb = kindRank(b.kind);
  if (ka !== kb) return ka - kb;
  const keys: [string, string][] = [
    [a.kind, b.kind],
    [a.metadata.namespace ?? '', b.metadata.namespace ?? ''],
    [a.metadata.name, b.metadata.name],
  ];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** A sorted copy; the input is not changed. */
export function sortObjects<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(compareObjects);
}
