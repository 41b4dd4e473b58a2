// The frame every release runs in (deploy, rollback, promote, preview): take the lease, create
// the release record, run the action's steps, and on failure bring the cluster back to the last
// successful release (revert, then the failed release's migrate-down), notify, record the outcome
// and apply the history retention. A release is never left `running` by this code.
import type { Cluster, KObject } from '../../cluster/types.ts';
import type { Notifier } from '../../model/types.ts';
import {
  keyOf,
  type FinalOutcome,
  type NewRelease,
  type Release,
  type ReleaseKey,
} from '../../store/types.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import { CancelledError, LockLostError } from '../errors.ts';
import { jobTimeoutMs, runJob } from '../jobs.ts';
import { DeployLock, leaseKey } from '../lock.ts';
import { describeDeliveries, notifyAll } from '../notify/send.ts';
import type { ReleaseNotice } from '../notify/message.ts';
import type { ReleaseReport } from '../views.ts';
import { stepView } from '../views.ts';
import { applySet, trackSet, type ApplyTarget } from './apply-step.ts';
import { StepRunner, type StepRecord } from './steps.ts';

export interface LockSettings {
  leaseMs: number;
  waitLockMs: number;
}

export interface ReleaseSpec {
  /** the release record, but for who and when (the run and the pipeline know those) */
  record: Omit<NewRelease, 'actor' | 'startedAt'>;
  cluster: Cluster;
  notifiers: readonly Notifier[];
  lock: LockSettings;
  /** how long a rollout (and the revert's) may take */
  trackTimeoutMs: number;
  /** the plan, made before the lock was asked for */
  planned: { startedAt: number; endedAt: number; message: string };
  driftIgnore: readonly string[];
  /** what the action does between `lock` and the outcome; throwing fails the release */
  body(ctx: ReleaseContext): Promise<void>;
}

export interface ReleaseContext {
  readonly release: Release;
  readonly key: ReleaseKey;
  readonly steps: StepRunner;
  readonly signal: AbortSignal;
  readonly hardSignal: AbortSignal;
  readonly cluster: Cluster;
  readonly engine: Engine;
  readonly target: ApplyTarget;
  readonly trackTimeoutMs: number;
  /** the last successful release before this one: what a revert re-applies */
  readonly previous: Release | undefined;
  /** set by the body once it started changing the cluster's objects */
  markApplied(): void;
  /** set by the body once its migration ran: revert runs this down Job after re-applying */
  markMigrated(down: KObject | undefined): void;
}

function lastFailed(done: readonly StepRecord[]): StepRecord | undefined {
  return [...done].reverse().find((s) => s.outcome === 'failed' || s.outcome === 'cancelled');
}

interface Undo {
  applied: boolean;
  migrated: boolean;
  down: KObject | undefined;
}

/** After a failure: re-apply the previous release, then the failed release's down migration. */
async function undo(ctx: ReleaseContext, state: Undo): Promise<{ reverted: boolean; notes: string[] }> {
  // the first interrupt cancelled the release; bringing the cluster back must not be cancelled by it
  const calm = new AbortController().signal;
  const steps = ctx.steps.withSignal(calm);
  const notes: string[] = [];
  let reverted = false;
  if (state.applied) {
    const target = ctx.previous;
    try {
      await steps.run('revert', async (s) => {
        const objects = target?.objects ?? [];
        const a = await applySet(ctx.target, objects as KObject[]);
        const ready = await trackSet(ctx.target, a.live, {
          what: 'the revert',
          timeoutMs: ctx.trackTimeoutMs,
          signal: calm,
          onProgress: s.progress,
        });
        reverted = true;
        return target
          ? `re-applied release ${target.id} (${target.version}): ${ready}; ${a.message}`
          : `no earlier release: ${a.message}`;
      });
    } catch {
      notes.push('the revert failed too — see its step');
    }
  }
  if (state.migrated) {
    const down = state.down;
    if (down) {
      try {
        await steps.run('migrate-down', async (s) =>
          runJob(ctx.cluster, ctx.target.namespace, down, {
            what: `Job/${down.metadata.name}`,
            timeoutMs: jobTimeoutMs(down),
            signal: calm,
            onProgress: s.progress,
            onCancel: 'stop',
          }),
        );
      } catch {
        notes.push('migrate-down failed — see its step; the database may be ahead of the code');
      }
    } else {
      await steps.skip('migrate-down', 'the migration declares no down command');
      notes.push('the database keeps the migration: it declares no down command');
    }
  }
  return { reverted, notes };
}

export async function runRelease(engine: Engine, run: RunContext, spec: ReleaseSpec): Promise<ReleaseReport> {
  const r = spec.record;
  const inner = new AbortController();
  const onOuter = () => inner.abort(new CancelledError());
  run.signal.addEventListener('abort', onOuter, { once: true });
  if (run.signal.aborted) onOuter();
  const store = await engine.store();
  const lockStart = engine.now();
  const key = leaseKey(r.service, r.environment);
  const held = await DeployLock.acquire(store, r, run.actor, {
    ttlMs: spec.lock.leaseMs,
    waitMs: spec.lock.waitLockMs,
    now: engine.now,
    log: engine.log,
    onLost: () => inner.abort(new LockLostError(key)),
  }).catch((e: unknown) => {
    run.signal.removeEventListener('abort', onOuter);
    throw e;
  });
  try {
    const previous = await store.lastSuccessful(r.service, r.environment);
    const release = await store.startRelease({ ...r, actor: run.actor, startedAt: spec.planned.startedAt });
    const rkey = keyOf(release);
    await held.attach(release.id);
    run.onEvent({
      type: 'release',
      releaseId: release.id,
      service: release.service,
      environment: release.environment,
      version: release.version,
      kind: release.kind,
      at: spec.planned.startedAt,
    });
    const steps = new StepRunner(store, rkey, run.onEvent, inner.signal, engine.now);
    await steps.record(
      'plan',
      'succeeded',
      spec.planned.message,
      spec.planned.startedAt,
      spec.planned.endedAt,
    );
    const took = held.tookOver;
    await steps.record(
      'lock',
      'succeeded',
      `${key} held by ${run.actor}${
        took
          ? `; took over the ${took.reason === 'expired' ? 'expired ' : ''}lease of ${took.lease.holder} (${[
              took.reason === 'holder-gone' ? 'its process is gone' : '',
              took.lease.releaseId !== undefined ? `release ${took.lease.releaseId} marked interrupted` : '',
            ]
              .filter(Boolean)
              .join('; ')})`
          : ''
      }`,
      lockStart,
      engine.now(),
    );

    const state: Undo = { applied: false, migrated: false, down: undefined };
    const ctx: ReleaseContext = {
      release,
      key: rkey,
      steps,
      signal: inner.signal,
      hardSignal: run.hardSignal,
      cluster: spec.cluster,
      engine,
      target: {
        cluster: spec.cluster,
        store,
        service: r.service,
        environment: r.environment,
        namespace: r.namespace,
        driftIgnore: spec.driftIgnore,
      },
      trackTimeoutMs: spec.trackTimeoutMs,
      previous,
      markApplied: () => {
        state.applied = true;
      },
      markMigrated: (down) => {
        state.migrated = true;
        state.down = down;
      },
    };
    let outcome: FinalOutcome = 'succeeded';
    let message = '';
    let reverted = false;
    try {
      await spec.body(ctx);
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
      if (lockLost) {
        message = `lost the lease on ${key} during ${failedStep?.name ?? 'the release'}; nothing reverted`;
      } else {
        const u = await undo(ctx, state);
        reverted = u.reverted;
        if (u.notes.length) message += `; ${u.notes.join('; ')}`;
      }
    }

    const calmSteps = steps.withSignal(new AbortController().signal);
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
      actor: run.actor,
      outcome,
      message,
      previousVersion: previous?.version,
      durationMs: engine.now() - spec.planned.startedAt,
      steps: steps.done.map((s) => ({ name: s.name, outcome: s.outcome, ms: s.ms, message: s.message })),
    };
    if (spec.notifiers.length === 0) await calmSteps.skip('notify', 'no notifiers configured');
    else {
      await calmSteps.run('notify', async () =>
        describeDeliveries(await notifyAll(spec.notifiers, notice, { env: engine.env, ...engine.notify })),
      );
    }
    await store.finishRelease(rkey, outcome, message, engine.now());
    await store.audit({
      at: engine.now(),
      actor: run.actor,
      action: release.kind,
      service: release.service,
      environment: release.environment,
      releaseId: release.id,
      detail: `${release.version} ${outcome}${message ? `: ${message}` : ''}`,
    });
    try {
      await store.retain(release.service, release.environment);
    } catch (e) {
      engine.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'history retention failed');
    }
    const final = await store.release(rkey);
    return {
      id: final.id,
      kind: final.kind,
      service: final.service,
      environment: final.environment,
      namespace: final.namespace,
      version: final.version,
      outcome,
      message,
      actor: final.actor,
      startedAt: new Date(final.startedAt).toISOString(),
      endedAt: final.endedAt === undefined ? undefined : new Date(final.endedAt).toISOString(),
      durationMs: final.endedAt === undefined ? undefined : final.endedAt - final.startedAt,
      manifestDigest: final.manifestDigest,
      sourceRelease: final.sourceRelease,
      source: final.source,
      steps: final.steps.map(stepView),
      failedStep: lastFailed(steps.done)?.name,
      previousVersion: previous?.version,
      reverted,
    };
  } finally {
    run.signal.removeEventListener('abort', onOuter);
    await held.release();
  }
}
