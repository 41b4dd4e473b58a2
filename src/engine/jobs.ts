// Running a Job to completion (migrations, their down command, command checks): replace any Job
// of the same name, create it, watch the Job and its pods. Fails as soon as failure is certain,
// with the Job's status, the pod's reason and the last log lines in the message.
import type { Cluster, KObject } from '../cluster/types.ts';
import { refOf } from '../cluster/types.ts';
import { jobHealth, podHealth } from './health/index.ts';
import { objectsOf, waitFor, RolloutFailedError, type WaitOptions } from './watch.ts';

export function jobTimeoutMs(job: KObject, fallbackSeconds = 600): number {
  const spec = job.spec as { activeDeadlineSeconds?: number } | undefined;
  return ((spec?.activeDeadlineSeconds ?? fallbackSeconds) + 30) * 1000;
}

async function logsOf(cluster: Cluster, namespace: string, pods: readonly KObject[]): Promise<string> {
  for (const p of pods) {
    try {
      const text = (await cluster.podLogs(namespace, p.metadata.name, { tailLines: 5 })).trim();
      if (text) return ` — last log lines: ${text.split('\n').slice(-5).join(' | ')}`;
    } catch {
      // no logs (container never started, or the node does not serve them)
    }
  }
  return '';
}

/** Runs `job` in `namespace` until it completes. Returns a one-line summary. */
export async function runJob(
  cluster: Cluster,
  namespace: string,
  job: KObject,
  opts: WaitOptions,
): Promise<string> {
  const name = job.metadata.name;
  await cluster.delete(refOf({ ...job, metadata: { ...job.metadata, namespace } }), {
    propagation: 'Background',
  });
  const created = await cluster.apply(job);
  const uid = created.metadata.uid;
  const backoffLimit = (job.spec as { backoffLimit?: number } | undefined)?.backoffLimit ?? 6;
  const t0 = Date.now();
  try {
    await waitFor(
      cluster,
      namespace,
      [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          labelSelector: `${Object.entries(job.metadata.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`,
        },
        { apiVersion: 'v1', kind: 'Pod', labelSelector: `job-name=${name}` },
      ],
      (s) => {
        const live = s.get('Job')!.get(name);
        if (!live || (uid && live.metadata.uid !== uid)) return { state: 'waiting', message: 'creating' };
        const pods = objectsOf(s, 'Pod').filter(
          (p) => !uid || p.metadata.ownerReferences?.some((o) => o.uid === uid),
        );
        for (const p of pods) {
          const h = podHealth(p);
          const phase = (p.status as { phase?: string } | undefined)?.phase;
          if (h.status === 'failed' && (phase !== 'Failed' || backoffLimit === 0))
            return { state: 'failed', message: `Job/${name}: ${h.message}` };
        }
        const h = jobHealth(live);
        if (h.status === 'healthy') return { state: 'done', message: h.message };
        if (h.status === 'failed') return { state: 'failed', message: `Job/${name}: ${h.message}` };
        return { state: 'waiting', message: h.message };
      },
      opts,
    );
  } catch (e) {
    if (e instanceof RolloutFailedError) {
      const pods = await cluster.list('v1', 'Pod', namespace, `job-name=${name}`);
      throw new RolloutFailedError(`${e.message}${await logsOf(cluster, namespace, pods)}`);
    }
    throw e;
  }
  return `Job/${name} completed in ${((Date.now() - t0) / 1000).toFixed(1)}s`;
}
