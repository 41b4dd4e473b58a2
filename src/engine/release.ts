// The frame every release runs in (deploy and rollback): take the lease, create the release
// record, run the action's steps, and on failure bring the cluster back to the previous
// successful release (revert, then the failed release's migrate-down), notify, and record the
// outcome. Releases are immutable once final; a release is never left `running` by this code.
import type { Cluster, KObject } from '../cluster/types.ts';
import type { Notifier } from '../model/types.ts';
import type { NewRelease, Release, ReleaseOutcome } from '../store/types.ts';
import { applyObjects, pruneObjects } from './apply.ts';
import type { EngineDeps } from './context.ts';
import { CancelledError, LockLostError } from './errors.ts';
import { runJob } from './jobs.ts';
import { DeployLock, leaseKey } from './lock.ts';
import type { ReleaseNotice } from './notify/message.ts';
import { describeDeliveries, notifyAll } from './notify/send.ts';
import { StepRunner, type StepRecord } from './steps.ts';
import { trackRollout } from './track.ts';

export interface ReleaseReport {
  releaseId: number;
  kind: 'deploy' | 'rollback';
  service: string;
  environment: string;
  namespace: string;
  version: string;
  outcome: Exclude<ReleaseOutcome, 'running'>;
  message: string;
  /** the step that failed, when one did */
  failedStep: string | undefined;
  previousVersion: string | undefined;
  /** whether the cluster was brought back to the previous release */
  reverted: boolean;
  durationMs: number;
  steps: StepRecord[];
}

export interface LockSettings {
  leaseMs: number;
  waitLockMs: number;
}

/** What the action does between `lock` and the outcome. Throwing fails the release. */
export interface ReleaseBody {
  /** steps up to and including what would need undoing */
  run(ctx: ReleaseContext): Promise<void>;
}

export interface ReleaseContext {
  release: Release;
  steps: StepRunner;
  signal: AbortSignal;
  cluster: Cluster;
  /** set by the body once it started changing the cluster's objects */
  markApplied(): void;
  /** set by the body once its migration Job succeeded: revert runs this down Job after re-applying */
  markMigrated(down: KObject | undefined): void;
  trackTimeoutMs: number;
}

export interface StartedStep {
  name: string;
  startedAt: number;
  message: string;
}

function lastFailed(done: readonly StepRecord[]): StepRecord | undefined {
  return [...done].reverse().find((s) => s.outcome === 'failed' || s.outcome === 'cancelled');
}

export async function runRelease(
  deps: EngineDeps,
  cluster: Cluster,
  record: NewRelease,
  lock: LockSettings,
  notifiers: readonly Notifier[],
  before: readonly StartedStep[],
  trackTimeoutMs: number,
  body: ReleaseBody,
): Promise<ReleaseReport> {
  const t0 = deps.now();
  const inner = new AbortController();
  const onOuter = () => inner.abort(new CancelledError());
  deps.signal.addEventListener('abort', onOuter, { once: true });
  const lockStart = deps.now();
  const key = leaseKey(record.service, record.environment);
  const held = await DeployLock.acquire(deps.store, key, deps.actor, {
    ttlMs: lock.leaseMs,
    waitMs: lock.waitLockMs,
    now: deps.now,
    onLost: () => inner.abort(new LockLostError(key)),
  });
  try {
    const previous = await deps.store.lastSuccessful(record.service, record.environment);
    const release = await deps.store.driver.insertRelease({ ...record, startedAt: t0 });
    await held.attach(release.id);
    deps.emit({
      type: 'release',
      releaseId: release.id,
      service: release.service,
      environment: release.environment,
      version: release.version,
      kind: release.kind,
    });
    const steps = new StepRunner(deps.store, release.id, deps.emit, inner.signal, deps.now);
    for (const s of before) await steps.record(s.name, 'succeeded', s.message, s.startedAt);
    const took = held.tookOver;
    await steps.record(
      'lock',
      'succeeded',
      `${key} held by ${deps.actor}${took ? `; took over the expired lease of ${took.holder}${took.releaseId !== undefined ? ` (release ${took.releaseId} marked interrupted)` : ''}` : ''}`,
      lockStart,
    );

    let applied = false;
    let migratedDown: KObject | undefined;
    let migrated = false;
    let outcome: Exclude<ReleaseOutcome, 'running'> = 'succeeded';
    let message = '';
    let reverted = false;
    try {
      await body.run({
        release,
        steps,
        signal: inner.signal,
        cluster,
        markApplied: () => {
          applied = true;
        },
        markMigrated: (down) => {
          migrated = true;
          migratedDown = down;
        },
        trackTimeoutMs,
      });
    } catch (e) {
      // lost the lease: someone else may be deploying now — record and stop, touch nothing more
      const lockLost = inner.signal.reason instanceof LockLostError;
      const cancelled = !lockLost && (e instanceof CancelledError || inner.signal.aborted);
      outcome = cancelled ? 'cancelled' : 'failed';
      const failedStep = lastFailed(steps.done);
      message = failedStep
        ? `${failedStep.name}: ${failedStep.message}`
        : e instanceof Error
          ? e.message
          : String(e);
      // bring the cluster back; a second Ctrl-C exits the process (the CLI), leaving the lease to expire
      const calm = new AbortController().signal;
      const undo = new StepRunner(deps.store, release.id, deps.emit, calm, deps.now);
      if (lockLost)
        message = `lost the lease on ${key} during ${lastFailed(steps.done)?.name ?? 'the release'}; nothing reverted`;
      if (applied && !lockLost) {
        const target = await deps.store.lastSuccessful(record.service, record.environment, release.id);
        try {
          await undo.run('revert', async (ctx) => {
            const objects = target?.objects ?? [];
            const res = await applyObjects(cluster, objects);
            const kinds = await deps.store.kindsApplied(record.service, record.environment);
            const pruned = await pruneObjects(
              cluster,
              record.service,
              record.environment,
              record.namespace,
              objects,
              kinds,
            );
            const ready = await trackRollout(
              cluster,
              record.namespace,
              record.service,
              record.environment,
              res.live,
              {
                what: 'the revert',
                timeoutMs: trackTimeoutMs,
                signal: calm,
                onProgress: ctx.progress,
              },
            );
            reverted = true;
            return target
              ? `re-applied release ${target.id} (${target.version}): ${ready}${pruned.length ? `; pruned ${pruned.join(', ')}` : ''}`
              : `no earlier release: removed ${pruned.join(', ') || 'nothing'}`;
          });
        } catch {
          message += '; the revert failed too — see its step';
        }
      }
      if (migrated && !lockLost) {
        const down = migratedDown;
        if (down) {
          try {
            await undo.run('migrate-down', async (ctx) =>
              runJob(cluster, record.namespace, down, {
                what: `Job/${down.metadata.name}`,
                timeoutMs: trackTimeoutMs,
                signal: calm,
                onProgress: ctx.progress,
              }),
            );
          } catch {
            message += '; migrate-down failed — see its step';
          }
        } else {
          await undo.skip('migrate-down', 'the migration declares no down command');
        }
      }
    }

    const report: ReleaseReport = {
      releaseId: release.id,
      kind: release.kind,
      service: release.service,
      environment: release.environment,
      namespace: release.namespace,
      version: release.version,
      outcome,
      message,
      failedStep: lastFailed(steps.done)?.name,
      previousVersion: previous?.version,
      reverted,
      durationMs: 0,
      steps: steps.done,
    };
    const notice: ReleaseNotice = {
      event:
        outcome === 'succeeded'
          ? 'release.succeeded'
          : outcome === 'cancelled'
            ? 'release.cancelled'
            : 'release.failed',
      kind: release.kind,
      releaseId: release.id,
      service: release.service,
      environment: release.environment,
      version: release.version,
      actor: deps.actor,
      outcome,
      message,
      previousVersion: previous?.version,
      durationMs: deps.now() - t0,
      steps: steps.done.map((s) => ({ name: s.name, outcome: s.outcome, ms: s.ms, message: s.message })),
    };
    const calmSteps = new StepRunner(
      deps.store,
      release.id,
      deps.emit,
      new AbortController().signal,
      deps.now,
    );
    if (notifiers.length === 0) await calmSteps.skip('notify', 'no notifiers configured');
    else {
      await calmSteps.run('notify', async () =>
        describeDeliveries(await notifyAll(notifiers, notice, { env: deps.env, ...deps.notify })),
      );
    }
    await deps.store.finish(release.id, outcome, message, deps.now());
    await deps.store.driver.appendAudit({
      at: deps.now(),
      actor: deps.actor,
      action: release.kind,
      service: release.service,
      environment: release.environment,
      releaseId: release.id,
      detail: `${release.version} ${outcome}${message ? `: ${message}` : ''}`,
    });
    report.steps = (await deps.store.release(release.id)).steps.map((s) => ({
      name: s.name,
      outcome: s.outcome === 'running' ? 'interrupted' : s.outcome,
      message: s.message,
      ms: (s.endedAt ?? s.startedAt) - s.startedAt,
    }));
    report.durationMs = deps.now() - t0;
    return report;
  } finally {
    deps.signal.removeEventListener('abort', onOuter);
    await held.release();
  }
}
