// observe: for the environment's window after a healthy rollout, any pod of the new template
// that loses readiness, restarts, or starts failing fails the release (and triggers the revert).
import type { Cluster, KObject } from '../cluster/types.ts';
import { pruneSelector } from '../render/kubernetes/labels.ts';
import { selectorString } from './apply.ts';
import { podHealth, podReady, podRestarts } from './health/index.ts';
import { ROLLOUT_KINDS, podsOf, templateLabels } from './track.ts';
import { TimeoutError } from './errors.ts';
import { objectsOf, waitFor, type WaitOptions } from './watch.ts';

export async function observe(
  cluster: Cluster,
  namespace: string,
  service: string,
  environment: string,
  applied: readonly KObject[],
  opts: WaitOptions,
): Promise<string> {
  const templates = applied.filter((o) => ROLLOUT_KINDS.includes(o.kind)).map(templateLabels);
  const baseline = new Map<string, { restarts: number; ready: boolean }>();
  try {
    await waitFor(
      cluster,
      namespace,
      [{ apiVersion: 'v1', kind: 'Pod', labelSelector: selectorString(pruneSelector(service, environment)) }],
      (s) => {
        const pods = templates.flatMap((t) => podsOf(objectsOf(s, 'Pod'), t));
        for (const p of pods) {
          const name = p.metadata.name;
          const h = podHealth(p);
          if (h.status === 'failed') return { state: 'failed', message: h.message };
          const now = { restarts: podRestarts(p), ready: podReady(p) };
          const was = baseline.get(name);
          if (!was) baseline.set(name, now);
          else {
            if (now.restarts > was.restarts)
              return { state: 'failed', message: `pod ${name} restarted (${now.restarts} restarts)` };
            if (was.ready && !now.ready) return { state: 'failed', message: `pod ${name} lost readiness` };
          }
        }
        return { state: 'waiting', message: `observing ${pods.length} pods` };
      },
      opts,
    );
  } catch (e) {
    if (e instanceof TimeoutError)
      return `${baseline.size} pods stayed ready for ${Math.round(opts.timeoutMs / 1000)}s`;
    throw e;
  }
  return 'observed';
}
