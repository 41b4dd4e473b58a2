// The steps every kind of release shares: apply an object set (server-side apply, take back
// drift, prune what the set no longer has) and track its rollout. Deploy, rollback, promote,
// preview and the revert after a failure all run exactly this.
import type { Cluster, KObject } from '../../cluster/types.ts';
import type { Store } from '../../store/store.ts';
import { applyObjects, pruneObjects } from '../apply.ts';
import { trackRollout } from '../track.ts';
import type { WaitOptions } from '../watch.ts';

export interface ApplyTarget {
  cluster: Cluster;
  store: Store;
  service: string;
  environment: string;
  namespace: string;
  /** drift patterns left alone (`Deployment:spec.replicas`) */
  driftIgnore: readonly string[];
}

export interface Applied {
  live: KObject[];
  /** "applied 6; took back Deployment/web: …; pruned CronJob/web-sync" */
  message: string;
}

export async function applySet(t: ApplyTarget, objects: readonly KObject[]): Promise<Applied> {
  const r = await applyObjects(t.cluster, objects, { driftIgnore: t.driftIgnore });
  const kinds = await t.store.kindsApplied(t.service, t.environment);
  const pruned = await pruneObjects(t.cluster, t.service, t.environment, t.namespace, objects, kinds);
  const message = [
    `applied ${r.applied.length}`,
    r.driftRemoved.length ? `took back ${r.driftRemoved.join(', ')}` : '',
    pruned.length ? `pruned ${pruned.join(', ')}` : '',
    r.skipped.length ? `skipped ${r.skipped.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { live: r.live, message };
}

export function trackSet(t: ApplyTarget, live: readonly KObject[], opts: WaitOptions): Promise<string> {
  return trackRollout(t.cluster, t.namespace, t.service, t.environment, live, opts);
}
