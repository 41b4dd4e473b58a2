// Applying an object set: server-side apply of each object, then taking back what other managers
// added to them by hand (drift), then pruning what the set no longer has. Pruning selects by
// ferry's labels (managed-by=ferry + service + environment) among the prunable kinds of the table
// of kinds, so it never touches anything ferry did not create; objects marked
// `ferry.dev/prune: never` (label or annotation; PVCs carry it) are never pruned.
import type { Cluster, KObject } from '../cluster/types.ts';
import { formatRef, refOf } from '../cluster/types.ts';
import { PRUNABLE_KINDS } from '../kinds.ts';
import { ANNOTATION_PRUNE, PRUNE_NEVER, pruneSelector } from '../render/kubernetes/labels.ts';
import { findDrift, removalPatch } from './drift.ts';

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface ApplyResult {
  applied: string[];
  /** objects of kinds the API server does not serve (CRD not installed), not applied */
  skipped: string[];
  /** fields other managers had added, removed: `Deployment/web: spec…env[name=HACK] (kubectl-set)` */
  driftRemoved: string[];
  /** what the API server returned for each applied object (with generation, uid) */
  live: KObject[];
}

export interface ApplyOptions {
  /** drift patterns left alone (`Deployment:spec.replicas`); see drift.ts */
  driftIgnore?: readonly string[];
  /** take back other managers' fields (default true) */
  removeDrift?: boolean;
}

/** Server-side applies `objects` in order; kinds the server does not serve are skipped and reported. */
export async function applyObjects(
  cluster: Cluster,
  objects: readonly KObject[],
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], skipped: [], driftRemoved: [], live: [] };
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
    let live = await cluster.apply(o);
    if (opts.removeDrift !== false) {
      const drift = findDrift(live, opts.driftIgnore);
      const ops = removalPatch(live, drift);
      if (ops.length > 0) {
        live = await cluster.patch(refOf(live), ops);
        for (const d of drift)
          result.driftRemoved.push(`${o.kind}/${o.metadata.name}: ${d.display} (${d.manager})`);
      }
    }
    result.live.push(live);
    result.applied.push(`${o.kind}/${o.metadata.name}`);
  }
  return result;
}

function pruneNever(o: KObject): boolean {
  return (
    o.metadata.labels?.[ANNOTATION_PRUNE] === PRUNE_NEVER ||
    o.metadata.annotations?.[ANNOTATION_PRUNE] === PRUNE_NEVER
  );
}

/** ferry's live objects of (service, environment) in `namespace` that `keep` does not name. */
export async function leftovers(
  cluster: Cluster,
  service: string,
  environment: string,
  namespace: string,
  keep: readonly KObject[],
  kinds: ReadonlySet<string> | undefined = undefined,
): Promise<KObject[]> {
  const keepKeys = new Set(keep.map((o) => `${o.kind}/${o.metadata.name}`));
  const selector = selectorString(pruneSelector(service, environment));
  const candidates = PRUNABLE_KINDS.filter((k) => !kinds || kinds.has(k.kind));
  const lists = await Promise.all(
    candidates.map(async (k) =>
      (await cluster.serves(k.apiVersion, k.kind))
        ? (await cluster.list(k.apiVersion, k.kind, namespace, selector)).map((o) => ({
            ...o,
            apiVersion: k.apiVersion,
            kind: k.kind,
          }))
        : [],
    ),
  );
  return lists
    .flat()
    .filter((o) => !keepKeys.has(`${o.kind}/${o.metadata.name}`) && !pruneNever(o))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * Deletes ferry's live objects of (service, environment) in `namespace` that `keep` does not name.
 * `kinds` limits the kinds looked at (e.g. to those any stored release of the service had);
 * default: every prunable kind.
 */
export async function pruneObjects(
  cluster: Cluster,
  service: string,
  environment: string,
  namespace: string,
  keep: readonly KObject[],
  kinds: ReadonlySet<string> | undefined = undefined,
): Promise<string[]> {
  const pruned: string[] = [];
  for (const o of await leftovers(cluster, service, environment, namespace, keep, kinds)) {
    if (await cluster.delete(refOf(o))) pruned.push(formatRef({ ...refOf(o), namespace: undefined }));
  }
  return pruned;
}
