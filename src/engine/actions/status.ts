// What runs where: for each service × environment, the version and health from the live cluster
// (the workload ferry manages), drift (fields other managers added, and a live version that is
// not the last recorded release's), and the newest release from the store. Reads the fleet with
// one list per namespace and kind (label selectors), never a call per service.
import type { Cluster, KObject } from '../../cluster/types.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { checkServices } from '../../model/names.ts';
import { serviceEnvironments } from '../../model/resolve.ts';
import {
  LABEL_COMPONENT,
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_SERVICE,
  LABEL_VERSION_FERRY,
  MANAGED_BY,
} from '../../render/kubernetes/labels.ts';
import { labelValue } from '../../render/kubernetes/names.ts';
import type { Engine } from '../config.ts';
import { findDrift } from '../drift.ts';
import { objectHealth } from '../health/index.ts';
import { replicaCounts } from '../health/deployment.ts';
import { releaseView, type ReleaseView } from '../views.ts';
import { environmentOf, platformOf } from './environments.ts';

export interface StatusRequest {
  /** default: every service */
  services?: readonly string[];
  /** default: every environment */
  environment?: string;
}

export type StatusHealth =
  'healthy' | 'progressing' | 'failed' | 'suspended' | 'missing' | 'cron-only' | 'unknown';

export interface CronRun {
  name: string;
  schedule: string;
  lastScheduled: string | undefined;
  lastSucceeded: string | undefined;
}

export interface StatusRow {
  service: string;
  environment: string;
  namespace: string;
  /** the version running in the cluster (the workload's ferry.dev/version), if any */
  liveVersion: string | undefined;
  health: StatusHealth;
  message: string;
  ready: string;
  /** fields other managers changed on ferry's objects, and a live version no release recorded */
  drift: string[];
  /** the service's CronJobs and their last runs */
  crons: CronRun[];
  /** the newest release in the store */
  release: ReleaseView | undefined;
}

const WORKLOAD_KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
] as const;

interface Place {
  context: string | undefined;
  namespace: string;
}

/** Every ferry workload of a namespace, by kind, in one list call per kind. */
async function readNamespace(cluster: Cluster, namespace: string): Promise<KObject[]> {
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(async (k) =>
      (await cluster.list(k.apiVersion, k.kind, namespace, `${LABEL_MANAGED_BY}=${MANAGED_BY}`)).map((o) => ({
        ...o,
        apiVersion: k.apiVersion,
        kind: k.kind,
      })),
    ),
  );
  return lists.flat();
}

function cronRuns(crons: readonly KObject[]): CronRun[] {
  return crons
    .map((c) => {
      const spec = c.spec as { schedule?: string } | undefined;
      const status = c.status as { lastScheduleTime?: string; lastSuccessfulTime?: string } | undefined;
      return {
        name: c.metadata.name,
        schedule: spec?.schedule ?? '',
        lastScheduled: status?.lastScheduleTime,
        lastSucceeded: status?.lastSuccessfulTime,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export class Status {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  async run(o: StatusRequest = {}): Promise<StatusRow[]> {
    if (o.environment) environmentOf(this.app, o.environment);
    checkServices(this.app, o.services ?? []);
    const envs = platformOf(this.app).environments;
    const targets = this.app.services
      .filter((s) => !o.services?.length || o.services.includes(s.name))
      .flatMap((s) =>
        serviceEnvironments(this.app, s)
          .filter((e) => !o.environment || e === o.environment)
          .flatMap((name) => {
            const env = envs.find((x) => x.name === name);
            return env ? [{ service: s.name, env }] : [];
          }),
      );
    // one read per (context, namespace)
    const places = new Map<string, Place>();
    for (const t of targets)
      places.set(`${t.env.context ?? ''}\u0000${t.env.namespace}`, {
        context: t.env.context,
        namespace: t.env.namespace,
      });
    const live = new Map<string, Promise<KObject[]>>();
    for (const [key, p] of places) {
      const read = this.engine.clusterFor(p.context).then((c) => readNamespace(c, p.namespace));
      // awaited below, after the store opens: a failure before then is not an unhandled rejection
      read.catch(() => undefined);
      live.set(key, read);
    }
    const store = await this.engine.store();
    const latest = new Map(
      (await store.latestPerService(o.environment)).map((r) => [`${r.service}\u0000${r.environment}`, r]),
    );
    const rows: StatusRow[] = [];
    for (const t of targets) {
      const summary = latest.get(`${t.service}\u0000${t.env.name}`);
      const release = summary && releaseView(summary);
      const base = { service: t.service, environment: t.env.name, namespace: t.env.namespace, release };
      let objects: KObject[];
      try {
        objects = await live.get(`${t.env.context ?? ''}\u0000${t.env.namespace}`)!;
      } catch (e) {
        rows.push({
          ...base,
          liveVersion: undefined,
          health: 'unknown',
          message: e instanceof Error ? e.message : String(e),
          ready: '-',
          drift: [],
          crons: [],
        });
        continue;
      }
      const mine = objects.filter(
        (x) =>
          x.metadata.labels?.[LABEL_SERVICE] === labelValue(t.service) &&
          x.metadata.labels?.[LABEL_ENVIRONMENT] === labelValue(t.env.name),
      );
      rows.push({ ...base, ...this.row(mine, release, platformOf(this.app).policy.driftIgnore) });
    }
    return rows;
  }

  private row(
    objects: readonly KObject[],
    release: ReleaseView | undefined,
    ignore: readonly string[],
  ): Omit<StatusRow, 'service' | 'environment' | 'namespace' | 'release'> {
    const crons = cronRuns(objects.filter((x) => x.kind === 'CronJob'));
    const workload =
      objects.find((x) => x.kind !== 'CronJob' && x.metadata.labels?.[LABEL_COMPONENT] !== 'cron') ??
      objects.find((x) => x.kind !== 'CronJob');
    const drift = objects.flatMap((x) =>
      findDrift(x, ignore).map((d) => `${x.kind}/${x.metadata.name}: ${d.display} (${d.manager})`),
    );
    if (!workload) {
      if (crons.length) {
        const liveVersion = objects[0]?.metadata.labels?.[LABEL_VERSION_FERRY];
        return {
          liveVersion,
          health: 'cron-only',
          message: `${crons.length} cron${crons.length === 1 ? '' : 's'}`,
          ready: '-',
          drift: [...drift, ...versionDrift(liveVersion, release)],
          crons,
        };
      }
      return { liveVersion: undefined, health: 'missing', message: 'not deployed', ready: '-', drift, crons };
    }
    const h = objectHealth(workload);
    const liveVersion = workload.metadata.labels?.[LABEL_VERSION_FERRY];
    const c = workload.kind === 'Deployment' ? replicaCounts(workload) : undefined;
    return {
      liveVersion,
      health: h.status,
      message: h.message,
      ready: c ? `${c.ready}/${c.desired}` : h.message,
      drift: [...drift, ...versionDrift(liveVersion, release)],
      crons,
    };
  }
}

/** A live version that the newest finished release does not account for. */
function versionDrift(live: string | undefined, release: ReleaseView | undefined): string[] {
  if (!live || !release || release.outcome === 'running') return [];
  if (release.outcome === 'succeeded' && labelValue(release.version) !== live)
    return [`runs ${live}, the last release recorded ${release.version}`];
  return [];
}

/** The CLI's and the server's one answer to "is everything fine": failed or unreachable rows. */
export function statusVerdict(rows: readonly Pick<StatusRow, 'health'>[]): 'ok' | 'failed' | 'unreachable' {
  if (rows.some((r) => r.health === 'unknown')) return 'unreachable';
  if (rows.some((r) => r.health === 'failed')) return 'failed';
  return 'ok';
}
