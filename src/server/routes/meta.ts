// Probes, metrics and the API's own description.
import { Dora } from '../../engine/actions/dora.ts';
import { platformOf } from '../../engine/actions/environments.ts';
import type { ServerContext } from '../context.ts';
import { route, type Route } from '../route.ts';

/** The DORA gauges of every environment of the project, over the last 30 days. */
async function setDoraGauges(ctx: ServerContext): Promise<void> {
  const g = ctx.metrics.dora;
  try {
    const { app } = await ctx.project.load();
    const dora = new Dora(ctx.engine, app);
    for (const { name: environment } of platformOf(app).environments) {
      const { overall: f } = await dora.run({ environment });
      const set = (gauge: { set(l: { environment: string }, v: number): void }, v: number | null) => {
        if (v !== null) gauge.set({ environment }, v);
      };
      set(g.deploymentsPerDay, f.frequency.perDay);
      for (const [quantile, v] of [
        ['0.5', f.leadTime.medianMs],
        ['0.9', f.leadTime.p90Ms],
      ] as const)
        if (v !== null) g.leadTimeSeconds.set({ environment, quantile }, v / 1000);
      set(g.changeFailRate, f.changeFailRate.rate);
      set(g.recoverySeconds, f.recovery.medianMs === null ? null : f.recovery.medianMs / 1000);
      set(g.reworkRate, f.reworkRate.rate);
    }
  } catch (e) {
    ctx.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not compute the DORA gauges');
  }
}

export const metaRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/healthz',
    summary: 'The process answers.',
    tag: 'meta',
    access: { kind: 'public' },
    status: 200,
    async handler() {
      return { status: 200, body: { ok: true } };
    },
  }),
  route({
    method: 'GET',
    path: '/readyz',
    summary: 'Ready for traffic: the store answers and the replica is not shutting down (503 otherwise).',
    tag: 'meta',
    access: { kind: 'public' },
    status: 200,
    async handler({ ctx }): Promise<{ status: number; body: { ok: boolean; reason?: string } }> {
      if (ctx.shuttingDown()) return { status: 503, body: { ok: false, reason: 'shutting down' } };
      try {
        await ctx.records.lastEventSeq();
      } catch {
        return { status: 503, body: { ok: false, reason: 'the store does not answer' } };
      }
      return { status: 200, body: { ok: true } };
    },
  }),
  route({
    method: 'GET',
    path: '/metrics',
    summary:
      'Prometheus metrics: releases by outcome and environment, durations, queue depth, webhook deliveries.',
    tag: 'meta',
    access: { kind: 'token', role: 'viewer' },
    status: 200,
    async handler({ ctx }) {
      const depth = (await ctx.records.listRequests({ state: 'queued', limit: 10_000 })).length;
      ctx.metrics.queueDepth.set(depth);
      await setDoraGauges(ctx);
      return new Response(await ctx.metrics.registry.metrics(), {
        headers: { 'content-type': ctx.metrics.registry.contentType },
      });
    },
  }),
];
