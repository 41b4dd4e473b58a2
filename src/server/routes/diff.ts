// GET …/diff?version=V: what a deploy of V would change, object by object, against the live
// cluster — the engine's Diff action (a server-side dry-run apply; Secret values redacted), the
// same answer `ferry diff` prints. The dashboard's deploy confirmation shows it. A dry-run is
// asked of the cluster with ferry's credentials, so it takes a token that may deploy there.
import { z } from 'zod';
import { Diff } from '../../engine/actions/diff.ts';
import { route, type Route } from '../route.ts';
import { serviceEnvParams } from '../schemas.ts';

const diffQuery = z
  .object({
    version: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag')
      .optional()
      .describe('the version to compare; default the one that runs'),
    ref: z.string().min(1).max(250).optional().describe('the git ref whose manifests to render'),
  })
  .strict();

const changeSchema = z.object({
  kind: z.string(),
  name: z.string(),
  action: z.enum(['create', 'update', 'delete', 'unchanged', 'unsupported']),
  diff: z.string().describe('unified diff, live → what the deploy leaves'),
  drift: z.array(z.string()).describe('fields another manager changed, which the deploy takes back'),
});

export const diffRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/services/{service}/environments/{environment}/diff',
    summary:
      'What a deploy of a version would change against the live cluster (a server-side dry-run; Secrets redacted).',
    tag: 'services',
    access: { kind: 'token', role: 'deployer', environment: 'path' },
    params: serviceEnvParams,
    query: diffQuery,
    response: z.object({ version: z.string(), changes: z.array(changeSchema) }),
    status: 200,
    async handler({ params, query, ctx }) {
      const { app } = await ctx.project.load(query.ref);
      const r = await new Diff(ctx.engine, app).run({
        service: params.service,
        environment: params.environment,
        ...(query.version ? { version: query.version } : {}),
        podLabels: ctx.settings.podLabels,
      });
      return { status: 200, body: { version: r.version, changes: r.changes } };
    },
  }),
];
