// Asking for work: deploys and rollbacks answer 202 with the request once it is persisted; a
// worker (of any replica) runs it. Everything that can be refused without the cluster is refused
// here, before anything is queued: unknown names (404, with did-you-mean), a manifest problem at
// the ref (422, file:line:col), a protected environment without `confirm` (400).
import { Deploy } from '../../engine/actions/deploy.ts';
import { environmentOf, serviceOf } from '../../engine/actions/environments.ts';
import { requireConfirmation } from '../../engine/actions/policy.ts';
import type { NewRequest, QueuedRequest } from '../../store/server-types.ts';
import type { Principal } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { httpError } from '../errors.ts';
import { publish, requestEvent } from '../events.ts';
import { publishNotStarted } from '../queue/batch-end.ts';
import { route, type Route } from '../route.ts';
import { deployBody, idParams, requestSchema, requestsQuery, rollbackBody } from '../schemas.ts';
import { requestView } from '../views.ts';

export async function enqueue(ctx: ServerContext, r: Omit<NewRequest, 'createdAt'>): Promise<QueuedRequest> {
  return (await enqueueOnce(ctx, r, undefined)).request;
}

/**
 * Queues `r` — unless `key` is given and an unfinished request holds it: then that one is
 * answered and nothing is queued (atomic in the store, so racing webhooks make one request).
 */
export async function enqueueOnce(
  ctx: ServerContext,
  r: Omit<NewRequest, 'createdAt'>,
  key: string | undefined,
): Promise<{ request: QueuedRequest; inserted: boolean }> {
  if (ctx.shuttingDown())
    throw httpError('E_SHUTTING_DOWN', 'this replica is shutting down', 'send it to another replica');
  const row = { ...r, createdAt: ctx.now() };
  const out =
    key === undefined
      ? { request: await ctx.records.insertRequest(row), inserted: true }
      : await ctx.records.insertRequestOnce(row, key);
  if (!out.inserted) return out;
  publish(ctx.events, requestEvent('request.queued', out.request));
  ctx.wake();
  return out;
}

/** Queues a request of `p` in `env` and answers 202 with it, audited as `what`. */
async function queued(
  ctx: ServerContext,
  p: Principal,
  env: { approvals: number },
  r: Pick<NewRequest, 'kind' | 'service' | 'environment' | 'payload'>,
  what: string,
) {
  const q = await enqueue(ctx, {
    ...r,
    requestedBy: p.actor,
    tokenId: p.tokenId,
    approvalsNeeded: env.approvals,
  });
  return {
    status: 202,
    body: requestView(q),
    audit: { service: q.service, environment: q.environment, detail: `request ${q.id}: ${what}` },
  };
}

async function byId(ctx: ServerContext, id: number): Promise<QueuedRequest> {
  const r = await ctx.records.getRequest(id);
  if (!r) throw httpError('E_NOT_FOUND', `no request ${id}`);
  return r;
}

export const requestRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/api/v1/deploys',
    summary: 'Queue a deploy of service:version to an environment (202 once persisted).',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer', environment: 'body' },
    body: deployBody,
    response: requestSchema,
    status: 202,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      const project = await ctx.project.load(body.ref);
      // the plan refuses unknown names, bad versions, manifest problems and unconfirmed protected deploys
      const planned = new Deploy(ctx.engine, project.app).plan({
        service: body.service,
        environment: body.environment,
        version: body.version,
        confirmed: body.confirm === true,
      });
      const env = planned.plan.workload.environment;
      return queued(
        ctx,
        p,
        env,
        {
          kind: 'deploy',
          service: body.service,
          environment: body.environment,
          payload: {
            version: body.version,
            ...(body.ref ? { ref: body.ref } : {}),
            ...(body.confirm ? { confirm: true } : {}),
          },
        },
        `deploy ${body.version}`,
      );
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/rollbacks',
    summary: 'Queue a rollback (default: to the release before the current one).',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer', environment: 'body' },
    body: rollbackBody,
    response: requestSchema,
    status: 202,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      const { app } = await ctx.project.load();
      const env = environmentOf(app, body.environment);
      serviceOf(app, body.service);
      requireConfirmation(env, body.confirm === true, 'rollback');
      return queued(
        ctx,
        p,
        env,
        {
          kind: 'rollback',
          service: body.service,
          environment: body.environment,
          payload: {
            ...(body.to !== undefined ? { to: body.to } : {}),
            ...(body.migrateDown ? { migrateDown: true } : {}),
            ...(body.verify ? { verify: true } : {}),
            ...(body.confirm ? { confirm: true } : {}),
          },
        },
        `rollback${body.to ? ` to ${body.to}` : ''}`,
      );
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/requests',
    summary: 'Requests, newest first, filtered, cursor-paged (before: the last id of the previous page).',
    tag: 'requests',
    access: { kind: 'token', role: 'viewer' },
    query: requestsQuery,
    status: 200,
    async handler({ query, ctx }) {
      const limit = query.limit ?? 50;
      const rs = await ctx.records.listRequests({ ...query, beforeId: query.before, limit: limit + 1 });
      const items = rs.slice(0, limit);
      return {
        status: 200,
        body: { requests: items.map(requestView), next: rs.length > limit ? items.at(-1)?.id : undefined },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/requests/{id}',
    summary: 'One request: its state, attempts, approvals and the release it made.',
    tag: 'requests',
    access: { kind: 'token', role: 'viewer' },
    params: idParams,
    response: requestSchema,
    status: 200,
    async handler({ params, ctx }) {
      return { status: 200, body: requestView(await byId(ctx, params.id)) };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/requests/{id}/cancel',
    summary: 'Cancel a request: a queued one ends at once; a running one ends cancelled and reverted.',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer', environment: 'request' },
    params: idParams,
    response: requestSchema,
    status: 200,
    async handler({ params, ctx }) {
      const before = await byId(ctx, params.id);
      const r = (await ctx.records.cancelRequest(params.id, ctx.now())) ?? before;
      if (before.state !== r.state) {
        publish(ctx.events, requestEvent('request.finished', r));
        await publishNotStarted(ctx, r);
      } else publish(ctx.events, requestEvent('request.updated', r));
      return {
        status: 200,
        body: requestView(r),
        audit: {
          service: r.service,
          environment: r.environment,
          detail: `request ${r.id}: cancel (${before.state})`,
        },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/requests/{id}/approve',
    summary: 'Approve a request held for approvals (not your own); it runs once enough people approved.',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer', environment: 'request' },
    params: idParams,
    response: requestSchema,
    status: 200,
    async handler({ params, principal, ctx }) {
      const p = principal as Principal;
      const before = await byId(ctx, params.id);
      if (before.state !== 'approval')
        throw httpError('E_APPROVAL', `request ${before.id} is ${before.state}, not waiting for approval`);
      if (before.requestedBy === p.actor)
        throw httpError(
          'E_APPROVAL',
          `${p.actor} asked for request ${before.id}: someone else must approve it`,
        );
      const r = (await ctx.records.approveRequest(params.id, p.actor, ctx.now())) ?? before;
      publish(ctx.events, requestEvent('request.updated', r));
      if (r.state === 'queued') {
        ctx.wake();
      }
      return {
        status: 200,
        body: requestView(r),
        audit: {
          service: r.service,
          environment: r.environment,
          detail: `request ${r.id}: approved (${r.approvedBy.length}/${r.approvalsNeeded})`,
        },
      };
    },
  }),
];

/** For the router: the environment a request-scoped route acts in. */
export async function requestEnvironment(ctx: ServerContext, id: number): Promise<string> {
  return (await byId(ctx, id)).environment;
}
