// GET /api/v1/previews/{number}/services: what runs in one preview, service by service — its
// URL, live version and health, and newest release — for the dashboard's previews page.
import { z } from 'zod';
import { previewStatus } from '../../engine/actions/preview-status.ts';
import { FerryError } from '../../errors.ts';
import { route, type Route } from '../route.ts';
import { releaseSchema } from '../schemas.ts';

export const previewServicesRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/previews/{number}/services',
    summary: "A preview's services: URL, live version and health, newest release.",
    tag: 'previews',
    access: { kind: 'token', role: 'viewer' },
    params: z.object({ number: z.coerce.number().int().positive() }),
    response: z.object({
      from: z.string(),
      environment: z.string(),
      namespace: z.string(),
      services: z.array(
        z.object({
          service: z.string(),
          url: z.string().optional(),
          liveVersion: z.string().optional(),
          health: z.string(),
          message: z.string(),
          release: releaseSchema.omit({ steps: true }).optional(),
        }),
      ),
    }),
    status: 200,
    async handler({ params, ctx }) {
      const p = await ctx.records.getPreview(params.number);
      if (!p)
        throw new FerryError('E_NO_PREVIEW', `no preview for pull request ${params.number}`, {
          hint: 'a preview is made when GitHub sends the pull request event; list them at /api/v1/previews',
        });
      const { app } = await ctx.project.load();
      const s = await previewStatus(ctx.engine, app, {
        number: p.number,
        branch: p.branch,
        headSha: p.headSha,
      });
      return {
        status: 200,
        body: {
          from: s.from,
          environment: s.environment.name,
          namespace: s.environment.namespace,
          services: s.services.map((x) => ({
            service: x.service,
            ...(x.url ? { url: x.url } : {}),
            ...(x.liveVersion ? { liveVersion: x.liveVersion } : {}),
            health: x.health,
            message: x.message,
            ...(x.release ? { release: { ...x.release, source: { ...x.release.source } } } : {}),
          })),
        },
      };
    },
  }),
];
