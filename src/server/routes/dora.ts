// The DORA figures over the API: the same report `ferry dora -o json` prints, for one
// environment (production by default) over a window.
import { z } from 'zod';
import { Dora } from '../../engine/actions/dora.ts';
import { serviceOf } from '../../engine/actions/environments.ts';
import { parseSince } from '../../engine/dora/since.ts';
import type { DoraReport } from '../../engine/dora/figures.ts';
import type { ServerContext } from '../context.ts';
import { route, type Route } from '../route.ts';

export const doraQuery = z.object({
  environment: z.string().optional(),
  service: z.string().optional(),
  since: z.string().optional(),
  intervention: z.string().optional(),
});

const band = z.enum(['elite', 'high', 'medium', 'low']).nullable();
const ms = z.number().nullable();
const figures = z.object({
  frequency: z.object({ deployments: z.number(), perDay: z.number(), perWeek: z.number(), band }),
  leadTime: z.object({ count: z.number(), medianMs: ms, p90Ms: ms, band }),
  mergeToDeploy: z.object({ count: z.number(), medianMs: ms, p90Ms: ms }),
  changeFailRate: z.object({ failed: z.number(), changes: z.number(), rate: ms, band }),
  recovery: z.object({ count: z.number(), open: z.number(), medianMs: ms, band }),
  reworkRate: z.object({ rework: z.number(), releases: z.number(), rate: ms }),
});
const window = z.object({ from: z.number(), to: z.number() });

export const doraReportSchema = z.object({
  environment: z.string(),
  window,
  interventionMs: z.number(),
  overall: figures,
  services: z.array(figures.extend({ service: z.string() })),
  weeks: z.array(
    window.extend({
      deployments: z.number(),
      failed: z.number(),
      changes: z.number(),
      leadTimeMedianMs: ms,
      recoveryMedianMs: ms,
    }),
  ),
});

/** The report for a query (the window ends now). */
export async function doraOf(ctx: ServerContext, query: z.infer<typeof doraQuery>): Promise<DoraReport> {
  const windowMs = parseSince(query.since ?? '30d', 'query.since');
  const interventionMs = parseSince(query.intervention ?? '60m', 'query.intervention');
  const { app } = await ctx.project.load();
  if (query.service) serviceOf(app, query.service);
  const to = ctx.now();
  return new Dora(ctx.engine, app).run({
    ...(query.environment ? { environment: query.environment } : {}),
    ...(query.service ? { service: query.service } : {}),
    from: to - windowMs,
    to,
    interventionMs,
  });
}

export const doraRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/dora',
    summary:
      'DORA figures of an environment (default: prod or production) over a window (since: 30d, 2w, 12h; default 30d): deployment frequency, change lead time, change fail rate, recovery time, rework rate, with their bands, per service and week by week.',
    tag: 'delivery',
    access: { kind: 'token', role: 'viewer' },
    query: doraQuery,
    response: doraReportSchema,
    status: 200,
    async handler({ query, ctx }) {
      return { status: 200, body: await doraOf(ctx, query) };
    },
  }),
];
