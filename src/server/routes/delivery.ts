// The delivery flows' API: auto-deploy status and resume, and promotions. The engine decides
// (the same AutoDeploy and Promote actions the CLI runs); a promotion is checked here — nothing
// queued when a source is missing or failed — and queued per service, held for approval in a
// protected environment.
import { z } from 'zod';
import { AutoDeploy } from '../../engine/actions/autodeploy.ts';
import { environmentOf } from '../../engine/actions/environments.ts';
import { Promote } from '../../engine/actions/promote.ts';
import { keyOf } from '../../store/types.ts';
import { requireEnvironment, type Principal } from '../auth.ts';
import { route, type Route } from '../route.ts';
import { requestSchema } from '../schemas.ts';
import { requestView } from '../views.ts';
import { enqueue } from './requests.ts';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a service or environment name');

const pauseSchema = z.object({
  release: z.number().int(),
  badVersion: z.string(),
  reason: z.string(),
  at: z.number(),
});

export const autoDeployStatusSchema = z.object({
  service: z.string(),
  environment: z.string(),
  policy: z.string(),
  from: z.enum(['service', 'environment', 'default']),
  current: z.string().optional(),
  paused: pauseSchema.optional(),
  failed: z.array(z.object({ version: z.string(), release: z.number().int() })),
});

const pairBody = z.object({ service: name, environment: name }).strict();

const promotionBody = z
  .object({
    services: z.array(name).min(1).optional().describe('the services; or all: true'),
    all: z.boolean().optional().describe('every service that runs in both and was deployed in from'),
    from: name,
    to: name,
    ref: z.string().min(1).max(250).optional().describe('the git ref whose manifests render the target'),
  })
  .strict()
  .refine((b) => (b.services !== undefined) !== (b.all === true), {
    message: 'give services or all: true (one of them)',
    path: ['services'],
  });

export const deliveryRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/autodeploy',
    summary: 'Auto-deploy per service × environment: the policy, what runs, whether it is paused and why.',
    tag: 'autodeploy',
    access: { kind: 'token', role: 'viewer' },
    query: z.object({ service: name.optional(), environment: name.optional() }).strict(),
    response: z.object({ autodeploy: z.array(autoDeployStatusSchema) }),
    status: 200,
    async handler({ query, ctx }) {
      const { app } = await ctx.project.load();
      return { status: 200, body: { autodeploy: await new AutoDeploy(ctx.engine, app).status(query) } };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/autodeploy/resume',
    summary:
      'Lift the pause a rollback or a failed release put on auto-deploy of a service in an environment.',
    tag: 'autodeploy',
    access: { kind: 'token', role: 'deployer', environment: 'body' },
    body: pairBody,
    response: z.object({ resumed: z.boolean(), status: autoDeployStatusSchema }),
    status: 200,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      const { app } = await ctx.project.load();
      const r = await new AutoDeploy(ctx.engine, app).resume({ ...body, actor: p.actor });
      return {
        status: 200,
        body: r,
        audit: {
          service: body.service,
          environment: body.environment,
          detail: r.resumed ? 'auto-deploy resumed' : 'auto-deploy was not paused',
        },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/promotions',
    summary:
      'Promote the last successful release of each service in from to to (202: one request per service; a protected target waits for approval).',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer' },
    body: promotionBody,
    response: z.object({ requests: z.array(requestSchema), skipped: z.array(z.string()) }),
    status: 202,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      const project = await ctx.project.load(body.ref);
      const to = environmentOf(project.app, body.to);
      requireEnvironment(p, to);
      // on the server a protected target's approval is its confirmation
      const plan = await new Promote(ctx.engine, project.app).plan({
        services: body.all ? 'all' : (body.services ?? []),
        from: body.from,
        to: body.to,
        confirmed: true,
      });
      const requests = [];
      for (const pr of plan.promotions)
        requests.push(
          await enqueue(ctx, {
            kind: 'promote',
            service: pr.service,
            environment: body.to,
            payload: {
              from: body.from,
              version: pr.source.version,
              sourceRelease: keyOf(pr.source),
              ...(body.ref ? { ref: body.ref } : {}),
              ...(to.protected ? { confirm: true } : {}),
            },
            requestedBy: p.actor,
            tokenId: p.tokenId,
            approvalsNeeded: to.protected ? Math.max(1, to.approvals) : to.approvals,
          }),
        );
      return {
        status: 202,
        body: { requests: requests.map(requestView), skipped: plan.skipped },
        audit: {
          environment: body.to,
          detail: `promote ${requests.map((r) => `${r.service} ${String(r.payload.version)}`).join(', ')} from ${body.from} (requests ${requests.map((r) => r.id).join(', ')})`,
        },
      };
    },
  }),
];
