// Probes, metrics and the API's own description.
import { route, type Route } from '../route.ts';

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
      return new Response(await ctx.metrics.registry.metrics(), {
        headers: { 'content-type': ctx.metrics.registry.contentType },
      });
    },
  }),
];
