// What runs where. The matrix — rows are services, columns environments — is paged and filtered
// on the server (Argo CD's UI slowed to minutes at thousands of apps by sending everything) and
// answered from the live status the server keeps in memory; one service in one environment
// reads its pods live.
import type { z } from 'zod';
import type { KObject } from '../../cluster/types.ts';
import { environmentOf, platformOf, serviceOf } from '../../engine/actions/environments.ts';
import { podReady, podRestarts } from '../../engine/health/index.ts';
import { selectorString } from '../../engine/apply.ts';
import { releaseView, type ReleaseView } from '../../engine/views.ts';
import { serviceEnvironments } from '../../model/resolve.ts';
import { LABEL_VERSION_FERRY, pruneSelector } from '../../render/kubernetes/labels.ts';
import { route, type Route } from '../route.ts';
import { History } from '../../engine/actions/history.ts';
import { cellSchema, historyQuery, matrixSchema, serviceEnvParams, servicesQuery } from '../schemas.ts';

function podView(p: KObject, now: number) {
  const status = p.status as { phase?: string; startTime?: string } | undefined;
  const started = status?.startTime ? Date.parse(status.startTime) : undefined;
  return {
    name: p.metadata.name,
    phase: status?.phase ?? 'Unknown',
    ready: podReady(p),
    restarts: podRestarts(p),
    version: p.metadata.labels?.[LABEL_VERSION_FERRY],
    startedAt: status?.startTime,
    ageSeconds: started === undefined ? undefined : Math.max(0, Math.round((now - started) / 1000)),
  };
}

/** A release view as the JSON schema types it (its source as a plain record). */
const plainRelease = (r: ReleaseView) => ({ ...r, source: { ...r.source } });

/** Every team the services name, sorted, for the matrix's filter. */
function teamsOf(services: readonly { manifest: { team?: string | undefined } }[]): string[] {
  return [...new Set(services.flatMap((s) => (s.manifest.team ? [s.manifest.team] : [])))].sort();
}

export const serviceRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/services',
    summary:
      'The matrix: each service with what runs in each environment (version, health, drift, last release), filtered and paged on the server.',
    tag: 'services',
    access: { kind: 'token', role: 'viewer' },
    query: servicesQuery,
    response: matrixSchema,
    status: 200,
    async handler({ query, ctx }) {
      const { app } = await ctx.project.load();
      const environments = platformOf(app).environments.map((e) => e.name);
      const shown = query.environment ? [environmentOf(app, query.environment).name] : environments;
      const latest = new Map(
        (await ctx.latest.get(query.environment)).map((r) => [`${r.service}\u0000${r.environment}`, r]),
      );
      const rows = [...app.services]
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .filter((s) => !query.search || s.name.includes(query.search))
        .filter((s) => !query.team || s.manifest.team === query.team)
        .map((s) => {
          const cells: Record<string, z.infer<typeof cellSchema>> = {};
          const versions = new Set<string>();
          for (const env of serviceEnvironments(app, s).filter((e) => shown.includes(e))) {
            const live = ctx.status.row(s.name, env);
            const last = latest.get(`${s.name}\u0000${env}`);
            const version = live?.liveVersion;
            if (version) versions.add(version);
            cells[env] = {
              ...(version ? { version } : {}),
              health: live?.health ?? (ctx.status.at ? 'missing' : 'unknown'),
              ready: live?.ready ?? '-',
              drift: live?.drift ?? [],
              ...(live?.message ? { message: live.message } : {}),
              ...(last ? { release: plainRelease(releaseView(last)) } : {}),
            };
          }
          return { service: s.name, team: s.manifest.team, cells, differs: versions.size > 1 };
        })
        .filter(
          (r) =>
            !query.state ||
            (query.state === 'differs'
              ? r.differs
              : Object.values(r.cells).some((c) => c.health === query.state)),
        );
      const start = query.cursor ? rows.findIndex((r) => r.service > query.cursor!) : 0;
      const limit = query.limit ?? 100;
      const page = start < 0 ? [] : rows.slice(start, start + limit);
      const more = start >= 0 && start + limit < rows.length;
      return {
        status: 200,
        body: {
          environments: shown,
          teams: teamsOf(app.services),
          services: page,
          total: rows.length,
          ...(more ? { next: page.at(-1)?.service } : {}),
          ...(ctx.status.at ? { liveAt: new Date(ctx.status.at).toISOString() } : {}),
        },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/services/{service}/environments/{environment}',
    summary: 'One service in one environment: its live pods, what runs, drift, and its recent releases.',
    tag: 'services',
    access: { kind: 'token', role: 'viewer' },
    params: serviceEnvParams,
    status: 200,
    async handler({ params, ctx }) {
      const { app } = await ctx.project.load();
      const env = environmentOf(app, params.environment);
      serviceOf(app, params.service);
      const cluster = await ctx.engine.clusterFor(env.context);
      const pods = await cluster.list(
        'v1',
        'Pod',
        env.namespace,
        selectorString(pruneSelector(params.service, env.name)),
      );
      const history = await ctx.store.history(params.service, env.name, { limit: 20 });
      const now = ctx.now();
      return {
        status: 200,
        body: {
          service: params.service,
          environment: env.name,
          namespace: env.namespace,
          status: ctx.status.row(params.service, env.name),
          pods: pods
            .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
            .map((p) => podView(p, now)),
          releases: history.map((r) => releaseView(r)),
        },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/services/{service}/environments/{environment}/history',
    summary:
      'The releases of one service in one environment, newest first, with their steps (what `ferry history` shows), cursor-paged.',
    tag: 'services',
    access: { kind: 'token', role: 'viewer' },
    params: serviceEnvParams,
    query: historyQuery,
    status: 200,
    async handler({ params, query, ctx }) {
      const { app } = await ctx.project.load();
      const page = await new History(ctx.engine, app).run({
        service: params.service,
        environment: params.environment,
        limit: query.limit ?? 20,
        ...(query.before !== undefined ? { beforeId: query.before } : {}),
      });
      return { status: 200, body: { service: params.service, environment: params.environment, ...page } };
    },
  }),
];
