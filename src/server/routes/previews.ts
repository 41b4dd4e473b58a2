// The previews API: list and show them (viewer); deploy a version to one (CI, once it pushed the
// image of the head commit) or remove one (deployer of the previews' `from` environment); list
// GitHub's open pull requests now to catch missed webhooks (admin; it only ever adds).
import { z } from 'zod';
import { environmentOf, platformOf } from '../../engine/actions/environments.ts';
import { PreviewDeploy } from '../../engine/actions/preview.ts';
import { previewsOf } from '../../model/preview.ts';
import { PREVIEW_STATES, type PreviewRecord } from '../../store/server-types.ts';
import { requireEnvironment, type Principal } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { FerryError } from '../../errors.ts';
import { fromRecord } from '../previews/pull-request.ts';
import { resync, enqueuePreview } from '../previews/sweep.ts';
import { route, type Route } from '../route.ts';
import { requestSchema } from '../schemas.ts';
import { requestView } from '../views.ts';

const numberParams = z.object({ number: z.coerce.number().int().positive() });
const version = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag');

export const previewSchema = z.object({
  number: z.number().int(),
  repository: z.string(),
  environment: z.string(),
  namespace: z.string(),
  domain: z.string().optional(),
  branch: z.string(),
  headSha: z.string(),
  fork: z.boolean(),
  labels: z.array(z.string()),
  version: z.string().optional(),
  state: z.enum(PREVIEW_STATES),
  message: z.string(),
  createdNamespace: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().optional(),
});

export function previewView(p: PreviewRecord, ttlSeconds: number | undefined) {
  return {
    number: p.number,
    repository: p.repository,
    environment: p.environment,
    namespace: p.namespace,
    ...(p.domain !== undefined ? { domain: p.domain } : {}),
    branch: p.branch,
    headSha: p.headSha,
    fork: p.fork,
    labels: [...p.labels],
    ...(p.version !== undefined ? { version: p.version } : {}),
    state: p.state,
    message: p.message,
    createdNamespace: p.createdNamespace,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    ...(ttlSeconds !== undefined
      ? { expiresAt: new Date(p.updatedAt + ttlSeconds * 1000).toISOString() }
      : {}),
  };
}

async function ttl(ctx: ServerContext): Promise<number | undefined> {
  return platformOf((await ctx.project.load()).app).previews?.ttlSeconds;
}

async function byNumber(ctx: ServerContext, n: number): Promise<PreviewRecord> {
  const p = await ctx.records.getPreview(n);
  if (!p)
    throw new FerryError('E_NO_PREVIEW', `no preview for pull request ${n}`, {
      hint: 'a preview is made when GitHub sends the pull request event; list them at /api/v1/previews',
    });
  return p;
}

/** A deployer may act on previews where it may deploy their `from` environment (previews are never protected). */
async function requirePreviewAccess(ctx: ServerContext, principal: Principal | undefined) {
  const { app } = await ctx.project.load();
  const previews = previewsOf(platformOf(app));
  requireEnvironment(principal as Principal, { ...environmentOf(app, previews.from), protected: false });
  return app;
}

export const previewRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/previews',
    summary: 'Every preview: its pull request, state, version, namespace and when it expires.',
    tag: 'previews',
    access: { kind: 'token', role: 'viewer' },
    response: z.object({ previews: z.array(previewSchema) }),
    status: 200,
    async handler({ ctx }) {
      const t = await ttl(ctx);
      return {
        status: 200,
        body: { previews: (await ctx.records.listPreviews()).map((p) => previewView(p, t)) },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/previews/{number}',
    summary: "One pull request's preview.",
    tag: 'previews',
    access: { kind: 'token', role: 'viewer' },
    params: numberParams,
    response: previewSchema,
    status: 200,
    async handler({ params, ctx }) {
      return { status: 200, body: previewView(await byNumber(ctx, params.number), await ttl(ctx)) };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/previews/{number}/deploys',
    summary: 'Deploy a version (the image CI pushed for the head commit) to a preview (202 once queued).',
    tag: 'previews',
    access: { kind: 'token', role: 'deployer' },
    params: numberParams,
    body: z.object({ version }),
    response: requestSchema,
    status: 202,
    async handler({ params, body, principal, ctx }) {
      const app = await requirePreviewAccess(ctx, principal);
      const p = await byNumber(ctx, params.number);
      if (p.state === 'refused')
        throw new FerryError('E_PREVIEW_LIMIT', `preview ${p.environment} was refused: ${p.message}`);
      // unknown services or a bad version are refused now, not in the queue
      new PreviewDeploy(ctx.engine, app).plan({
        pr: { number: p.number, branch: p.branch, headSha: p.headSha },
        version: body.version,
      });
      const who = principal as Principal;
      const q = await enqueuePreview(ctx, 'deploy', fromRecord(p), who.actor, {
        version: body.version,
        tokenId: who.tokenId,
      });
      return {
        status: 202,
        body: requestView(q),
        audit: { environment: p.environment, detail: `request ${q.id}: preview deploy ${body.version}` },
      };
    },
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/previews/{number}',
    summary: 'Remove a preview: its objects, database and the namespace ferry created (202 once queued).',
    tag: 'previews',
    access: { kind: 'token', role: 'deployer' },
    params: numberParams,
    response: requestSchema,
    status: 202,
    async handler({ params, principal, ctx }) {
      await requirePreviewAccess(ctx, principal);
      const p = await byNumber(ctx, params.number);
      const who = principal as Principal;
      const q = await enqueuePreview(ctx, 'teardown', fromRecord(p), who.actor, {
        reason: `removed by ${who.actor}`,
        tokenId: who.tokenId,
      });
      return {
        status: 202,
        body: requestView(q),
        audit: { environment: p.environment, detail: `request ${q.id}: preview rm` },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/previews/resync',
    summary: "List GitHub's open pull requests now and queue previews that are missing (never removes one).",
    tag: 'previews',
    access: { kind: 'token', role: 'admin' },
    body: z.object({
      repositories: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name')).optional(),
    }),
    response: z.object({
      repositories: z.array(z.string()),
      listed: z.number().int(),
      queued: z.array(z.number().int()),
      errors: z.array(z.string()),
    }),
    status: 200,
    async handler({ body, ctx }) {
      const r = await resync(ctx, body.repositories);
      return {
        status: 200,
        body: r,
        audit: { detail: `resync: ${r.queued.length} queued, ${r.errors.length} errors` },
      };
    },
  }),
];
