// Deploy one service at one version to one environment, as a recorded process:
// plan → lock → preflight → provision → migrate → apply → track → schedule → verify → observe →
// notify, and on failure after migrate: revert → migrate-down → notify (release/run.ts).
// The action resolves everything from its request and the project, and enforces the policy
// (a protected environment needs a confirmation) for every edge that calls it.
import type { KObject } from '../../cluster/types.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import type { Environment } from '../../model/types.ts';
import type { ReleaseKey, ReleaseKind, ReleaseSource } from '../../store/types.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import { interpolate } from '../interpolate.ts';
import { jobTimeoutMs, runJob, JobCancelledError } from '../jobs.ts';
import { defaultLeaseMs } from '../lock.ts';
import type { PodLabel } from '../pod-labels.ts';
import { planWorkload, type Plan } from '../plan.ts';
import { applySet, trackSet } from '../release/apply-step.ts';
import { preflight } from '../release/preflight.ts';
import { provisionDatabases } from '../release/provision.ts';
import { runRelease, type ReleaseContext } from '../release/run.ts';
import { checkSchedules } from '../release/schedule.ts';
import { observeStep, verifyStep } from '../release/verify.ts';
import type { ReleaseReport } from '../views.ts';
import { environmentOf, platformOf, serviceOf } from './environments.ts';
import { requireConfirmation } from './policy.ts';

export interface DeployRequest {
  service: string;
  /** an environment of the platform file */
  environment: string;
  version: string;
  /** an environment derived at run time from `environment` (a per-PR preview) */
  derived?: Environment;
  /** the user confirmed a deploy to a protected environment */
  confirmed?: boolean;
  podLabels?: readonly PodLabel[];
  leaseMs?: number;
  /** when another deploy holds the lock: wait this long for it (0: refuse at once) */
  waitLockMs?: number;
  /** how long a rollout may take; default the Deployment's progressDeadlineSeconds + 30 s */
  trackTimeoutMs?: number;
  source?: ReleaseSource;
  /** a promotion or preview deploys through the same pipeline */
  kind?: Extract<ReleaseKind, 'deploy' | 'promote' | 'preview'>;
  sourceRelease?: ReleaseKey;
}

/** A deploy that passed every check that needs no cluster: ready to run. */
export interface PlannedDeploy {
  request: DeployRequest;
  plan: Plan;
  planStartedAt: number;
  planEndedAt: number;
}

export class Deploy {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /**
   * Everything that can be refused without the cluster: unknown service, environment or version,
   * a manifest problem, a protected environment without confirmation.
   */
  plan(request: DeployRequest): PlannedDeploy {
    const planStartedAt = this.engine.now();
    const base = environmentOf(this.app, request.environment);
    serviceOf(this.app, request.service);
    const environment = request.derived ?? base;
    requireConfirmation(environment, request.confirmed === true, request.kind ?? 'deploy');
    const plan = planWorkload(
      this.app,
      request.service,
      request.derived ? { base: request.environment, environment: request.derived } : request.environment,
      request.version,
      request.podLabels ?? [],
    );
    return { request, plan, planStartedAt, planEndedAt: this.engine.now() };
  }

  async run(request: DeployRequest | PlannedDeploy, run: RunContext): Promise<ReleaseReport> {
    const planned = 'plan' in request ? request : this.plan(request);
    const { plan } = planned;
    const o = planned.request;
    const w = plan.workload;
    const env = w.environment;
    const adminUrl =
      w.features.postgres && env.databaseAdmin
        ? interpolate(env.databaseAdmin, `environments.${env.name}.database.admin`, this.engine.env)
        : undefined;
    const cluster = await this.engine.clusterFor(env.context);
    const trackTimeoutMs = o.trackTimeoutMs ?? (w.policy.progressDeadlineSeconds + 30) * 1000;
    const checks = plan.verification.jobs.length + plan.verification.http.length;
    const message = `${plan.objects.length} objects${plan.migration ? ', a migration' : ''}${checks ? `, ${checks} checks` : ''} for ${env.namespace} via context ${cluster.context}`;
    return runRelease(this.engine, run, {
      record: {
        service: o.service,
        environment: env.name,
        namespace: env.namespace,
        version: o.version,
        manifestDigest: w.manifestDigest,
        kind: o.kind ?? 'deploy',
        sourceRelease: o.sourceRelease,
        objects: plan.objects,
        migrateDown: plan.migration?.down,
        verification: plan.verification,
        source: o.source ?? {},
      },
      cluster,
      notifiers: platformOf(this.app).notify,
      lock: { leaseMs: o.leaseMs ?? defaultLeaseMs(this.engine.env), waitLockMs: o.waitLockMs ?? 0 },
      trackTimeoutMs,
      planned: { startedAt: planned.planStartedAt, endedAt: planned.planEndedAt, message },
      driftIgnore: w.policy.driftIgnore,
      body: (ctx) => this.steps(ctx, plan, adminUrl),
    });
  }

  private async steps(ctx: ReleaseContext, plan: Plan, adminUrl: string | undefined): Promise<void> {
    const { steps, cluster, target } = ctx;
    const w = plan.workload;

    await steps.run('preflight', () =>
      preflight(cluster, {
        namespace: target.namespace,
        namespaceObject: plan.namespace,
        objects: plan.objects,
        jobs: [
          ...(plan.migration ? [plan.migration.up] : []),
          ...(plan.migration?.down ? [plan.migration.down] : []),
          ...(plan.verification.jobs as KObject[]),
        ],
      }),
    );

    await steps.run('provision', () => provisionDatabases(cluster, w, adminUrl));

    const m = plan.migration;
    if (m) {
      try {
        await steps.run('migrate', async (s) =>
          runJob(cluster, target.namespace, m.up, {
            what: `Job/${m.up.metadata.name}`,
            timeoutMs: jobTimeoutMs(m.up),
            signal: ctx.signal,
            hardSignal: ctx.hardSignal,
            onProgress: s.progress,
            // a migration that can be migrated down may finish; one that cannot is stopped at once
            onCancel: m.down ? 'finish' : 'stop',
          }),
        );
      } catch (e) {
        if (e instanceof JobCancelledError && e.completed) ctx.markMigrated(m.down);
        throw e;
      }
      ctx.markMigrated(m.down);
    } else await steps.skip('migrate', 'no migrations declared');

    let live: KObject[] = [];
    await steps.run('apply', async () => {
      ctx.markApplied();
      const a = await applySet(target, plan.objects);
      live = a.live;
      return a.message;
    });

    await steps.run('track', async (s) =>
      trackSet(target, live, {
        what: `the rollout of ${w.service}`,
        timeoutMs: ctx.trackTimeoutMs,
        signal: ctx.signal,
        onProgress: s.progress,
      }),
    );

    const crons = plan.objects.filter((o) => o.kind === 'CronJob');
    if (crons.length) await steps.run('schedule', () => checkSchedules(target, crons));
    else await steps.skip('schedule', 'no crons declared');

    await verifyStep(ctx, plan.verification);
    await observeStep(ctx, live, plan.verification.observeSeconds);
  }
}
