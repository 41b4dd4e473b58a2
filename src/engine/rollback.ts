// `ferry rollback <service> --env <env> [--to <release>]`: re-apply a stored release's objects
// (no re-render), prune what it did not have, wait until healthy, record it as a new release.
// Default target: the last successful release before the current one.
import type { Notifier } from '../model/types.ts';
import type { Release } from '../store/types.ts';
import { usageError } from '../errors.ts';
import { applyObjects, pruneObjects } from './apply.ts';
import type { EngineDeps } from './context.ts';
import { NoPreviousReleaseError } from './errors.ts';
import { runRelease, type ReleaseReport } from './release.ts';
import { trackRollout } from './track.ts';
import { jobTimeoutMs, runJob } from './jobs.ts';
import type { KObject } from '../cluster/types.ts';

export interface RollbackOptions {
  service: string;
  environment: string;
  /** release id to go back to; default the one before the current */
  to: number | undefined;
  leaseMs: number;
  waitLockMs: number;
  /** kube context of the environment */
  context: string | undefined;
  notifiers: readonly Notifier[];
  trackTimeoutMs?: number;
  /**
   * Before re-applying, run the down migration of the release being left (the current one — its
   * image knows how to undo its own schema change). Without it the schema stays as it is.
   */
  migrateDown?: boolean;
}

export class Rollback {
  private readonly deps: EngineDeps;
  readonly options: RollbackOptions;

  constructor(deps: EngineDeps, options: RollbackOptions) {
    this.deps = deps;
    this.options = options;
  }

  /** The release a rollback would re-apply. */
  async target(): Promise<Release> {
    const o = this.options;
    if (o.to !== undefined) {
      const r = await this.deps.store.release(o.to);
      if (r.service !== o.service || r.environment !== o.environment) {
        throw usageError(
          'E_WRONG_RELEASE',
          `release ${o.to} is ${r.service} in ${r.environment}, not ${o.service} in ${o.environment}`,
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
    const current = await this.deps.store.lastSuccessful(o.service, o.environment);
    const before = current && (await this.deps.store.lastSuccessful(o.service, o.environment, current.id));
    if (!before) throw new NoPreviousReleaseError(o.service, o.environment);
    return before;
  }

  async run(): Promise<ReleaseReport> {
    const o = this.options;
    const planStart = this.deps.now();
    const target = await this.target();
    const current = o.migrateDown
      ? await this.deps.store.lastSuccessful(o.service, o.environment)
      : undefined;
    const down = current && current.id !== target.id ? current.migrateDown : undefined;
    if (o.migrateDown && !down) {
      throw usageError(
        'E_NO_DOWN_MIGRATION',
        `the current release of ${o.service} in ${o.environment}${current ? ` (${current.id}, ${current.version})` : ''} declares no down migration`,
        'roll back without running a down migration, or deploy a version whose migration has a down command',
      );
    }
    const cluster = this.deps.clusterFor(o.context);
    const objects: KObject[] = target.objects.map((x) => structuredClone(x));
    return runRelease(
      this.deps,
      cluster,
      {
        service: o.service,
        environment: o.environment,
        namespace: target.namespace,
        version: target.version,
        manifestDigest: target.manifestDigest,
        kind: 'rollback',
        sourceRelease: target.id,
        actor: this.deps.actor,
        objects,
        migrateDown: target.migrateDown,
        startedAt: planStart,
      },
      { leaseMs: o.leaseMs, waitLockMs: o.waitLockMs },
      o.notifiers,
      [
        {
          name: 'plan',
          startedAt: planStart,
          message: `re-apply release ${target.id} (${target.version}, ${objects.length} objects) via context ${cluster.context}`,
        },
      ],
      o.trackTimeoutMs ?? 150_000,
      {
        run: async (ctx) => {
          if (down && current) {
            await ctx.steps.run('migrate-down', async (s) =>
              runJob(cluster, target.namespace, down, {
                what: `Job/${down.metadata.name} of release ${current.id}`,
                timeoutMs: jobTimeoutMs(down),
                signal: ctx.signal,
                onProgress: s.progress,
              }),
            );
          } else await ctx.steps.skip('migrate-down', 'no down migration asked for');
          let live: KObject[] = [];
          await ctx.steps.run('apply', async () => {
            ctx.markApplied();
            const r = await applyObjects(cluster, objects);
            live = r.live;
            const kinds = await this.deps.store.kindsApplied(o.service, o.environment);
            const pruned = await pruneObjects(
              cluster,
              o.service,
              o.environment,
              target.namespace,
              objects,
              kinds,
            );
            return [`applied ${r.applied.length}`, pruned.length ? `pruned ${pruned.join(', ')}` : '']
              .filter(Boolean)
              .join('; ');
          });
          await ctx.steps.run('track', async (s) =>
            trackRollout(cluster, target.namespace, o.service, o.environment, live, {
              what: `the rollback of ${o.service}`,
              timeoutMs: ctx.trackTimeoutMs,
              signal: ctx.signal,
              onProgress: s.progress,
            }),
          );
        },
      },
    );
  }
}
