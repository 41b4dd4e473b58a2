// The last lines of a service's pods in an environment (the Logs action, not followed): what the
// dashboard's log tail shows, one pod or all of the newest release's.
import { z } from 'zod';
import { Logs, type LogLine } from '../../engine/actions/logs.ts';
import { route, type Route } from '../route.ts';
import { serviceEnvParams } from '../schemas.ts';

const logsQuery = z
  .object({
    pod: z.string().optional().describe('only this pod'),
    component: z.string().optional().describe('only pods of this component: web, cron, migration, check'),
    tail: z.coerce.number().int().min(1).max(5000).optional().describe('lines per container (default 100)'),
  })
  .strict();

export const logRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/services/{service}/environments/{environment}/logs',
    summary:
      "The last lines of each container of the newest release's pods (or one pod), as pod/container/line.",
    tag: 'services',
    access: { kind: 'token', role: 'viewer' },
    params: serviceEnvParams,
    query: logsQuery,
    status: 200,
    async handler({ params, query, ctx, request }) {
      const { app } = await ctx.project.load();
      const lines: LogLine[] = [];
      const target = await new Logs(ctx.engine, app).run(
        {
          service: params.service,
          environment: params.environment,
          ...(query.component ? { component: query.component } : {}),
          tailLines: query.tail ?? 100,
          signal: request.signal,
        },
        (l) => {
          if (!query.pod || l.pod === query.pod) lines.push(l);
        },
      );
      return {
        status: 200,
        body: {
          version: target.version,
          release: target.releaseId,
          pods: query.pod ? target.pods.filter((p) => p === query.pod) : target.pods,
          lines,
        },
      };
    },
  }),
];
