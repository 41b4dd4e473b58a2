// Roll back: re-apply a stored release's objects (no re-render), prune what it did not have,
// wait until healthy, and record it as a new release of kind `rollback`. Default target: the last
// successful release before the current one. The same policy as deploys (a protected environment
// needs a confirmation). By default a rollback runs no checks and no observation window: its
// target passed them when it was deployed, and a rollback is the fast way back; `verify` runs the
// target's own checks and the environment's window again.
import type { KObject } from '../../cluster/types.ts';
import { usageError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import type { Release } from '../../store/types.ts';
import { keyOf } from '../../store/types.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import { NoPreviousReleaseError } from '../errors.ts';
import { jobTimeoutMs, runJob } from '../jobs.ts';
import { defaultLeaseMs } from '../lock.ts';
import { applySet, trackSet } from '../release/apply-step.ts';
import { runRelease } from '../release/run.ts';
import { observeStep, verifyStep } from '../release/verify.ts';
import type { ReleaseReport } from '../views.ts';
import { environmentOf, platformOf, serviceOf } from './environments.ts';
import { requireConfirmation } from './policy.ts';

export interface RollbackRequest {
  service: string;
  environment: string;
  /** release id to go back to; default the one before the current */
  to?: number;
  /**
   * Before re-applying, run the down migration of the release being left (the current one — its
   * image knows how to undo its own schema change). Without it the schema stays as it is.
   */
  migrateDown?: boolean;
  /** run the target's checks and the observation window again */
  verify?: boolean;
  confirmed?: boolean;
  leaseMs?: number;
  waitLockMs?: number;
  trackTimeoutMs?: number;
}

export class Rollback {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /** The release a rollback would re-apply. */
  async target(o: RollbackRequest): Promise<Release> {
    const store = await this.engine.store();
    if (o.to !== undefined) {
      const r = await store.findRelease({ service: o.service, environment: o.environment, id: o.to });
      if (!r) {
        throw usageError(
          'E_WRONG_RELEASE',
          `release ${o.to} is not a release of ${o.service} in ${o.environment}`,
          'the history lists its releases',
        );
      }
      if (r.outcome !== 'succeeded') {
        throw usageError(
          'E_WRONG_RELEASE',
          `release ${o.to} ended ${r.outcome}; only successful releases can be restored`,
        );
      }
      return r;
    }
    const current = await store.lastSuccessful(o.service, o.environment);
    const before = current && (await store.lastSuccessful(o.service, o.environment, current.id));
    if (!before) throw new NoPreviousReleaseError(o.service, o.environment);
    return before;
  }

  async run(o: RollbackRequest, run: RunContext): Promise<ReleaseReport> {
    const planStart = this.engine.now();
    const env = environmentOf(this.app, o.environment);
    serviceOf(this.app, o.service);
    requireConfirmation(env, o.confirmed === true, 'rollback');
    const store = await this.engine.store();
    const target = await this.target(o);
    const current = o.migrateDown ? await store.lastSuccessful(o.service, o.environment) : undefined;
    const down = current && current.id !== target.id ? current.migrateDown : undefined;
    if (o.migrateDown && !down) {
      throw usageError(
        'E_NO_DOWN_MIGRATION',
        `the current release of ${o.service} in ${o.environment}${current ? ` (${current.id}, ${current.version})` : ''} declares no down migration`,
        'roll back without running a down migration, or deploy a version whose migration has a down command',
      );
    }
    const cluster = await this.engine.clusterFor(env.context);
    const objects: KObject[] = target.objects.map((x) => structuredClone(x) as KObject);
    const planEnd = this.engine.now();
    return runRelease(this.engine, run, {
      record: {
        service: o.service,
        environment: o.environment,
        namespace: target.namespace,
        version: target.version,
        manifestDigest: target.manifestDigest,
        kind: 'rollback',
        sourceRelease: keyOf(target),
        objects,
        migrateDown: target.migrateDown,
        verification: target.verification,
        source: target.source,
      },
      cluster,
      notifiers: platformOf(this.app).notify,
      lock: { leaseMs: o.leaseMs ?? defaultLeaseMs(this.engine.env), waitLockMs: o.waitLockMs ?? 0 },
      trackTimeoutMs: o.trackTimeoutMs ?? 150_000,
      planned: {
        startedAt: planStart,
        endedAt: planEnd,
        message: `re-apply release ${target.id} (${target.version}, ${objects.length} objects) via context ${cluster.context}`,
      },
      driftIgnore: platformOf(this.app).policy.driftIgnore,
      body: async (ctx) => {
        if (down && current) {
          await ctx.steps.run('migrate-down', async (s) =>
            runJob(cluster, target.namespace, down as KObject, {
              what: `Job/${down.metadata.name} of release ${current.id}`,
              timeoutMs: jobTimeoutMs(down as KObject),
              signal: ctx.signal,
              hardSignal: ctx.hardSignal,
              onProgress: s.progress,
              onCancel: 'finish',
            }),
          );
        } else await ctx.steps.skip('migrate-down', 'no down migration asked for');
        let live: KObject[] = [];
        await ctx.steps.run('apply', async () => {
          ctx.markApplied();
          const a = await applySet(ctx.target, objects);
          live = a.live;
          return a.message;
        });
        await ctx.steps.run('track', async (s) => {
          const ready = await trackSet(ctx.target, live, {
            what: `the rollback of ${o.service}`,
            timeoutMs: ctx.trackTimeoutMs,
            signal: ctx.signal,
            onProgress: s.progress,
          });
          return `rolled back ${o.service} to release ${target.id} (${target.version}): ${ready}`;
        });
        if (o.verify) {
          await verifyStep(ctx, target.verification);
          await observeStep(ctx, live, env.observeSeconds);
        } else {
          await ctx.steps.skip(
            'verify',
            `not asked for: release ${target.id} passed its checks when it was deployed`,
          );
          await ctx.steps.skip('observe', 'not asked for');
        }
      },
    });
  }
}
