// Running a Job to completion (migrations, their down command, command checks): replace any Job
// of the same name, create it, watch the Job and its pods. Fails as soon as failure is certain,
// with the Job's status, the pod's reason and the last log lines in the message.
// A cancel while it runs never leaves it running unseen: either the Job is allowed to finish
// (a migration that can be migrated down: the database ends in a known state) or it is stopped —
// deleted with its pods, waited for — and the error says loudly what state that may leave.
import type { Cluster, KObject } from '../cluster/types.ts';
import { refOf } from '../cluster/types.ts';
import { CancelledError } from './errors.ts';
import { jobHealth, podHealth } from './health/index.ts';
import { objectsOf, waitFor, RolloutFailedError, type WaitOptions } from './watch.ts';

export function jobTimeoutMs(job: KObject, fallbackSeconds = 600): number {
  const spec = job.spec as { activeDeadlineSeconds?: number } | undefined;
  return ((spec?.activeDeadlineSeconds ?? fallbackSeconds) + 30) * 1000;
}

/** What a cancel does to a running Job. */
export type OnCancel =
  /** let it run to its end (bounded by its deadline and the hard signal), then report the cancel */
  | 'finish'
  /** delete it and its pods at once */
  | 'stop';

export interface JobOptions extends WaitOptions {
  onCancel: OnCancel;
  /** stops even a Job allowed to finish */
  hardSignal?: AbortSignal;
}

/** A Job cancelled while it ran: either it completed first, or it was stopped midway. */
export class JobCancelledError extends CancelledError {
  /** the Job ran to completion before the cancel took effect */
  readonly completed: boolean;
  constructor(message: string, completed: boolean) {
    super(message);
    this.name = 'JobCancelledError';
    this.completed = completed;
  }
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

/** Deletes a Job and its pods and waits until the pods are gone (bounded). */
export async function stopJob(
  cluster: Cluster,
  namespace: string,
  name: string,
  waitMs = 60_000,
): Promise<void> {
  await cluster.delete(
    { apiVersion: 'batch/v1', kind: 'Job', name, namespace },
    { propagation: 'Foreground' },
  );
  const end = Date.now() + waitMs;
  for (;;) {
    const pods = await cluster.list('v1', 'Pod', namespace, `job-name=${name}`);
    if (pods.length === 0) return;
    if (Date.now() > end) return;
    // pods stuck in deletion (a node gone) would keep them listed: force them
    for (const p of pods) await cluster.delete(refOf({ ...p, apiVersion: 'v1', kind: 'Pod' }));
    await new Promise((r) => setTimeout(r, 200));
  }
}

function watchJob(
  cluster: Cluster,
  namespace: string,
  job: KObject,
  uid: string | undefined,
  opts: WaitOptions,
): Promise<string> {
  const name = job.metadata.name;
  const backoffLimit = (job.spec as { backoffLimit?: number } | undefined)?.backoffLimit ?? 6;
  return waitFor(
    cluster,
    namespace,
    [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        labelSelector: Object.entries(job.metadata.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
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
}

/** Runs `job` in `namespace` until it completes. Returns a one-line summary. */
export async function runJob(
  cluster: Cluster,
  namespace: string,
  job: KObject,
  opts: JobOptions,
): Promise<string> {
  const name = job.metadata.name;
  await cluster.delete(refOf({ ...job, metadata: { ...job.metadata, namespace } }), {
    propagation: 'Background',
  });
  const created = await cluster.apply(job);
  const uid = created.metadata.uid;
  const t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  try {
    await watchJob(cluster, namespace, job, uid, opts);
  } catch (e) {
    if (e instanceof RolloutFailedError) {
      const pods = await cluster.list('v1', 'Pod', namespace, `job-name=${name}`);
      throw new RolloutFailedError(`${e.message}${await logsOf(cluster, namespace, pods)}`);
    }
    if (!(e instanceof CancelledError)) throw e;
    const hard = opts.hardSignal ?? new AbortController().signal;
    if (opts.onCancel === 'finish' && !hard.aborted) {
      opts.onProgress?.(`cancel asked: letting Job/${name} finish first (interrupt again to stop it now)`);
      try {
        await watchJob(cluster, namespace, job, uid, {
          ...opts,
          signal: hard,
          timeoutMs: Math.max(1000, opts.timeoutMs - (Date.now() - t0)),
        });
        throw new JobCancelledError(`cancelled while Job/${name} ran; it completed first (${took()})`, true);
      } catch (again) {
        if (again instanceof JobCancelledError) throw again;
        if (again instanceof RolloutFailedError)
          throw new JobCancelledError(
            `cancelled while Job/${name} ran; it then failed: ${again.message}`,
            false,
          );
        if (!(again instanceof CancelledError)) throw again;
      }
    }
    await stopJob(cluster, namespace, name);
    throw new JobCancelledError(
      `cancelled: stopped Job/${name} while it ran (after ${took()}); what it changed is kept as it was when it stopped`,
      false,
    );
  }
  return `Job/${name} completed in ${took()}`;
}
