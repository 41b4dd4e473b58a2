// `ferry deploy <service>:<version> --env <env>` as a recorded process:
// plan → lock → provision → migrate → apply → track → schedule → verify → observe → notify → record,
// and on failure after migrate: revert → migrate-down → notify → record (see release.ts).
import type { Cluster, KObject } from '../cluster/types.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { resolvePlatform } from '../model/platform.ts';
import { databaseSecretName } from '../render/kubernetes/features.ts';
import { pruneSelector } from '../render/kubernetes/labels.ts';
import { applyObjects, pruneObjects, selectorString } from './apply.ts';
import type { EngineDeps } from './context.ts';
import { interpolate } from './interpolate.ts';
import { jobTimeoutMs, runJob } from './jobs.ts';
import { observe } from './observe.ts';
import type { PodLabel } from './pod-labels.ts';
import { planWorkload, type HttpCheck, type Plan } from './plan.ts';
import { runRelease, type ReleaseContext, type ReleaseReport } from './release.ts';
import { trackRollout } from './track.ts';
import { RolloutFailedError } from './watch.ts';

export interface DeployOptions {
  service: string;
  environment: string;
  version: string;
  podLabels: readonly PodLabel[];
  leaseMs: number;
  waitLockMs: number;
  /** how long a rollout may take; default the Deployment's progressDeadlineSeconds + 30 s */
  trackTimeoutMs?: number;
}

export class Deploy {
  private readonly deps: EngineDeps;
  private readonly app: LoadedApp;
  readonly options: DeployOptions;

  constructor(deps: EngineDeps, app: LoadedApp, options: DeployOptions) {
    this.deps = deps;
    this.app = app;
    this.options = options;
  }

  async run(): Promise<ReleaseReport> {
    const o = this.options;
    const planStart = this.deps.now();
    // plan: everything that can be refused is refused here, before the lock and the cluster
    const plan = planWorkload(this.app, o.service, o.environment, o.version, o.podLabels);
    const env = plan.workload.environment;
    const adminUrl =
      plan.workload.features.postgres && env.databaseAdmin
        ? interpolate(env.databaseAdmin, `environments.${env.name}.database.admin`, this.deps.env)
        : undefined;
    const cluster = this.deps.clusterFor(env.context);
    const trackTimeoutMs = o.trackTimeoutMs ?? (plan.workload.policy.progressDeadlineSeconds + 30) * 1000;
    const planMessage = `${plan.objects.length} objects${plan.migration ? ', a migration' : ''}${plan.checks.length + plan.httpChecks.length ? `, ${plan.checks.length + plan.httpChecks.length} checks` : ''} for ${env.namespace} via context ${cluster.context}`;
    return runRelease(
      this.deps,
      cluster,
      {
        service: o.service,
        environment: o.environment,
        namespace: env.namespace,
        version: o.version,
        manifestDigest: plan.workload.manifestDigest,
        kind: 'deploy',
        sourceRelease: undefined,
        actor: this.deps.actor,
        objects: plan.objects,
        migrateDown: plan.migration?.down,
        startedAt: planStart,
      },
      { leaseMs: o.leaseMs, waitLockMs: o.waitLockMs },
      resolvePlatform(this.app.platform.manifest, this.app.platform.file).notify,
      [{ name: 'plan', startedAt: planStart, message: planMessage }],
      trackTimeoutMs,
      { run: (ctx) => this.steps(ctx, plan, adminUrl) },
    );
  }

  private async steps(ctx: ReleaseContext, plan: Plan, adminUrl: string | undefined): Promise<void> {
    const { steps, cluster, signal } = ctx;
    const w = plan.workload;
    const ns = w.environment.namespace;

    await steps.run('provision', async () => {
      const done: string[] = [];
      if (plan.namespace) {
        await cluster.apply(plan.namespace);
        done.push(`namespace ${ns}`);
      }
      const pgTarget = w.features.postgres;
      if (pgTarget && adminUrl) {
        const secretName = databaseSecretName(w.service, 'postgres');
        const secret = await cluster.get({
          apiVersion: 'v1',
          kind: 'Secret',
          name: secretName,
          namespace: ns,
        });
        // loaded only when needed: `pg` costs start-up time every deploy would pay otherwise
        const { describeProvision, provisionPostgres, serviceDatabaseUrl } =
          await import('./provision/postgres.ts');
        const r = await provisionPostgres(adminUrl, pgTarget, { resetPassword: secret === undefined });
        if (r.password !== undefined) {
          await cluster.apply(
            databaseSecret(
              secretName,
              ns,
              w.service,
              w.environment.name,
              serviceDatabaseUrl(adminUrl, pgTarget, r.password),
            ),
          );
          done.push(`Secret/${secretName} written`);
        }
        done.push(`postgres ${describeProvision(r)}`);
      } else if (pgTarget) done.push('postgres: no database.admin for this environment, not provisioned');
      if (w.features.mysql) done.push('mysql: provisioning not supported yet');
      return done.join('; ') || 'nothing to provision';
    });

    const m = plan.migration;
    if (m) {
      await steps.run('migrate', async (s) =>
        runJob(cluster, ns, m.up, {
          what: `Job/${m.up.metadata.name}`,
          timeoutMs: jobTimeoutMs(m.up),
          signal,
          onProgress: s.progress,
        }),
      );
      ctx.markMigrated(m.down);
    } else await steps.skip('migrate', 'no migrations declared');

    let live: KObject[] = [];
    await steps.run('apply', async () => {
      ctx.markApplied();
      const r = await applyObjects(cluster, plan.objects);
      live = r.live;
      const kinds = await this.deps.store.kindsApplied(w.service, w.environment.name);
      const pruned = await pruneObjects(cluster, w.service, w.environment.name, ns, plan.objects, kinds);
      return [
        `applied ${r.applied.length}`,
        pruned.length ? `pruned ${pruned.join(', ')}` : '',
        r.skipped.length ? `skipped ${r.skipped.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
    });

    await steps.run('track', async (s) =>
      trackRollout(cluster, ns, w.service, w.environment.name, live, {
        what: `the rollout of ${w.service}`,
        timeoutMs: ctx.trackTimeoutMs,
        signal,
        onProgress: s.progress,
      }),
    );

    const crons = plan.objects.filter((o) => o.kind === 'CronJob');
    if (crons.length)
      await steps.run('schedule', async () =>
        checkSchedules(cluster, ns, w.service, w.environment.name, crons),
      );
    else await steps.skip('schedule', 'no crons declared');

    if (plan.checks.length || plan.httpChecks.length) {
      await steps.run('verify', async (s) => {
        const out: string[] = [];
        for (const job of plan.checks) {
          out.push(
            await runJob(cluster, ns, job, {
              what: `check Job/${job.metadata.name}`,
              timeoutMs: jobTimeoutMs(job),
              signal,
              onProgress: s.progress,
            }),
          );
        }
        for (const c of plan.httpChecks) out.push(await httpCheck(c, signal));
        return out.join('; ');
      });
    } else await steps.skip('verify', 'no checks declared');

    const seconds = w.environment.observeSeconds;
    if (seconds > 0) {
      await steps.run('observe', async (s) =>
        observe(cluster, ns, w.service, w.environment.name, live, {
          what: 'observation',
          timeoutMs: seconds * 1000,
          signal,
          onProgress: s.progress,
        }),
      );
    } else await steps.skip('observe', `no observation window for ${w.environment.name}`);
  }
}

function databaseSecret(
  name: string,
  namespace: string,
  service: string,
  environment: string,
  url: string,
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      labels: { ...pruneSelector(service, environment), 'app.kubernetes.io/component': 'database' },
    },
    type: 'Opaque',
    stringData: { url },
  };
}

async function checkSchedules(
  cluster: Cluster,
  ns: string,
  service: string,
  env: string,
  crons: readonly KObject[],
): Promise<string> {
  const live = await cluster.list('batch/v1', 'CronJob', ns, selectorString(pruneSelector(service, env)));
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

async function httpCheck(c: HttpCheck, signal: AbortSignal): Promise<string> {
  const res = await fetch(c.url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(c.timeoutSeconds * 1000)]),
  });
  await res.arrayBuffer();
  if (res.status !== c.expect)
    throw new RolloutFailedError(
      `check ${c.name}: GET ${c.url} answered ${res.status}, expected ${c.expect}`,
    );
  return `check ${c.name}: ${res.status}`;
}
