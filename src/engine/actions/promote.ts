// Promote: what passed one environment goes to the next. For each service, the exact version
// (with its digest when the release was pinned) of the last successful release in `from`,
// rendered with `to`'s configuration and deployed through the same pipeline, recorded as kind
// `promote` with the source release. Refused — all of it, before anything deploys — when a
// service has no successful release in `from`, or the newest release there failed.
import { FerryError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { serviceEnvironments } from '../../model/resolve.ts';
import type { Release, ReleaseKey } from '../../store/types.ts';
import { formatKey, keyOf } from '../../store/types.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import type { PodLabel } from '../pod-labels.ts';
import type { ReleaseReport } from '../views.ts';
import { DeployBatch } from './deploy-batch.ts';
import { Deploy, type PlannedDeploy } from './deploy.ts';
import { environmentOf, serviceOf } from './environments.ts';

export interface PromoteRequest {
  /** the services, or every service that runs in both environments and was deployed in `from` */
  services: readonly string[] | 'all';
  from: string;
  to: string;
  confirmed?: boolean;
  waitLockMs?: number;
  trackTimeoutMs?: number;
}

export interface PlannedPromotion {
  service: string;
  source: Release;
  planned: PlannedDeploy;
}

export interface PromotionPlan {
  promotions: PlannedPromotion[];
  /** with `all`: services that run in both and have never been deployed in `from` */
  skipped: string[];
}

export class Promote {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /** The release `service` would be promoted from (refusing what may not be promoted). */
  async source(service: string, from: string): Promise<Release> {
    const store = await this.engine.store();
    const latest = (await store.releases({ service, environment: from, limit: 20 })).items.find(
      (r) => r.outcome !== 'running',
    );
    if (latest && (latest.outcome === 'failed' || latest.outcome === 'interrupted'))
      throw new FerryError(
        'E_PROMOTE_SOURCE',
        `the newest release of ${service} in ${from} (${latest.id}, ${latest.version}) ${latest.outcome}: nothing is promoted from an environment whose last release failed`,
        { hint: `deploy or roll back ${service} in ${from} until it succeeds, then promote` },
      );
    const ok = await store.lastSuccessful(service, from);
    if (!ok)
      throw new FerryError('E_PROMOTE_SOURCE', `${service} has no successful release in ${from} to promote`, {
        hint: `deploy ${service} to ${from} first`,
      });
    return ok;
  }

  async plan(o: PromoteRequest): Promise<PromotionPlan> {
    environmentOf(this.app, o.from);
    environmentOf(this.app, o.to);
    if (o.from === o.to)
      throw new FerryError('E_USAGE', `promote from ${o.from} to itself`, {
        hint: 'name two different environments',
      });
    const skipped: string[] = [];
    let names: string[];
    if (o.services === 'all') {
      names = [];
      const store = await this.engine.store();
      for (const s of this.app.services) {
        const envs = serviceEnvironments(this.app, s);
        if (!envs.includes(o.from) || !envs.includes(o.to)) continue;
        if (await store.latest(s.name, o.from)) names.push(s.name);
        else skipped.push(s.name);
      }
      if (names.length === 0)
        throw new FerryError(
          'E_PROMOTE_SOURCE',
          `no service that runs in ${o.to} has been deployed in ${o.from}`,
          {
            hint: `deploy to ${o.from} first`,
          },
        );
    } else {
      for (const s of o.services) serviceOf(this.app, s);
      names = [...o.services];
    }
    const sources: Release[] = [];
    for (const s of names) sources.push(await this.source(s, o.from));
    const planned = new DeployBatch(this.engine, this.app).plan(
      sources.map((src) => ({
        service: src.service,
        environment: o.to,
        version: src.version,
        kind: 'promote' as const,
        sourceRelease: keyOf(src),
        source: src.source,
        confirmed: o.confirmed === true,
        ...(o.waitLockMs !== undefined ? { waitLockMs: o.waitLockMs } : {}),
        ...(o.trackTimeoutMs !== undefined ? { trackTimeoutMs: o.trackTimeoutMs } : {}),
      })),
    );
    return {
      promotions: sources.map((source, i) => ({ service: source.service, source, planned: planned[i]! })),
      skipped,
    };
  }

  /**
   * One promotion decided earlier (a queued request): the source release it named, deployed to
   * `to` as it was then — not whatever `from` runs by the time the request runs.
   */
  async runPinned(
    o: {
      source: ReleaseKey;
      to: string;
      confirmed?: boolean;
      waitLockMs?: number;
      podLabels?: readonly PodLabel[];
    },
    run: RunContext,
  ): Promise<ReleaseReport> {
    const store = await this.engine.store();
    const src = await store.findRelease(o.source);
    if (!src || src.outcome !== 'succeeded')
      throw new FerryError(
        'E_PROMOTE_SOURCE',
        `release ${formatKey(o.source)} ${src ? `ended ${src.outcome}` : 'is gone'}: it cannot be promoted`,
        { hint: 'promote again: the newest successful release is taken' },
      );
    const deploy = new Deploy(this.engine, this.app);
    return deploy.run(
      {
        service: src.service,
        environment: o.to,
        version: src.version,
        kind: 'promote',
        sourceRelease: keyOf(src),
        source: src.source,
        confirmed: o.confirmed === true,
        ...(o.waitLockMs !== undefined ? { waitLockMs: o.waitLockMs } : {}),
        ...(o.podLabels ? { podLabels: o.podLabels } : {}),
      },
      run,
    );
  }

  /** Plans (refusing before anything deploys), then promotes one service after the other. */
  async run(
    o: PromoteRequest | PromotionPlan,
    run: RunContext,
    onReport: (r: ReleaseReport) => void = () => undefined,
  ): Promise<ReleaseReport[]> {
    const plan = 'promotions' in o ? o : await this.plan(o);
    // one after the other, in order (after: dependencies still apply), stopping at the first failure
    const batch = await new DeployBatch(this.engine, this.app).run(
      plan.promotions.map((p) => p.planned),
      run,
      { parallel: 1, onReport },
    );
    return batch.releases;
  }
}
