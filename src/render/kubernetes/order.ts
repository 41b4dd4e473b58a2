// The fixed order in which kinds are applied and printed: the order of the table of kinds.
import { KIND_ORDER } from '../../kinds.ts';
import type { KubeObject } from './object.ts';

export { KIND_ORDER } from '../../kinds.ts';

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
