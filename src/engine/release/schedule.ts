// schedule: after the rollout, every CronJob of the release is in the cluster with the schedule
// it was given.
import type { KObject } from '../../cluster/types.ts';
import { pruneSelector } from '../../render/kubernetes/labels.ts';
import { selectorString } from '../apply.ts';
import { RolloutFailedError } from '../watch.ts';
import type { ApplyTarget } from './apply-step.ts';

export async function checkSchedules(t: ApplyTarget, crons: readonly KObject[]): Promise<string> {
  const live = await t.cluster.list(
    'batch/v1',
    'CronJob',
    t.namespace,
    selectorString(pruneSelector(t.service, t.environment)),
  );
  const byName = new Map(live.map((c) => [c.metadata.name, c]));
  const out: string[] = [];
  for (const c of crons) {
    const l = byName.get(c.metadata.name);
    if (!l) throw new RolloutFailedError(`CronJob/${c.metadata.name} is not in the cluster after apply`);
    const spec = l.spec as { schedule?: string; suspend?: boolean };
    out.push(`${c.metadata.name} "${spec.schedule ?? '?'}"${spec.suspend ? ' (suspended)' : ''}`);
  }
  return out.join(', ');
}
