// A multi-target deploy as one batch: every target is planned first (unknown names, versions,
// manifest problems and unconfirmed protected deploys refuse the whole batch, nothing queued);
// each request waits for the requests of the services it comes after (the engine's batch
// schedule), and the store's claim runs it only once those succeeded, up to `parallel` at once.
// A failure starts nothing new: the rest of the batch ends cancelled, saying why.
import { DEFAULT_PARALLEL, dependenciesOf, startOrder } from '../../engine/actions/batch-schedule.ts';
import { DeployBatch } from '../../engine/actions/deploy-batch.ts';
import type { NewRequest } from '../../store/server-types.ts';
import type { Principal } from '../auth.ts';
import { httpError } from '../errors.ts';
import { publish, requestEvent } from '../events.ts';
import { route, type Route } from '../route.ts';
import { deployBatchBody, deployBatchSchema } from '../schemas.ts';
import { requestView } from '../views.ts';

export const batchRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/api/v1/deploy-batches',
    summary:
      'Queue a deploy of several services to one environment as a batch, in the order of their after: lists (202 once persisted).',
    tag: 'requests',
    access: { kind: 'token', role: 'deployer', environment: 'body' },
    body: deployBatchBody,
    response: deployBatchSchema,
    status: 202,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      if (ctx.shuttingDown())
        throw httpError('E_SHUTTING_DOWN', 'this replica is shutting down', 'send it to another replica');
      const project = await ctx.project.load(body.ref);
      const batch = new DeployBatch(ctx.engine, project.app);
      const planned = batch.plan(
        body.targets.map((t) => ({
          service: t.service,
          environment: body.environment,
          version: t.version,
          confirmed: body.confirm === true,
        })),
      );
      const deps = dependenciesOf(batch.jobs(planned));
      const order = startOrder(deps);
      const position = new Map(order.map((target, k) => [target, k]));
      const approvals = planned[0]?.plan.workload.environment.approvals ?? 0;
      const createdAt = ctx.now();
      const request = (i: number): NewRequest => ({
        kind: 'deploy',
        service: body.targets[i]!.service,
        environment: body.environment,
        payload: {
          version: body.targets[i]!.version,
          ...(body.ref ? { ref: body.ref } : {}),
          ...(body.confirm ? { confirm: true } : {}),
        },
        requestedBy: p.actor,
        tokenId: p.tokenId,
        approvalsNeeded: approvals,
        createdAt,
      });
      const queued = await ctx.records.insertBatch({
        requests: order.map(request),
        waits: order.map((i) => (deps[i] ?? []).map((j) => position.get(j)!)),
        parallel: body.parallel ?? DEFAULT_PARALLEL,
      });
      for (const q of queued) publish(ctx.events, requestEvent('request.queued', q));
      ctx.wake();
      const inGivenOrder = body.targets.map((_, i) => queued[position.get(i)!]!);
      const id = queued[0]!.id;
      return {
        status: 202,
        body: { batch: id, requests: inGivenOrder.map(requestView) },
        audit: {
          service: body.targets.map((t) => t.service).join(' '),
          environment: body.environment,
          detail: `batch ${id}: deploy ${body.targets.map((t) => `${t.service}:${t.version}`).join(' ')}`,
        },
      };
    },
  }),
];
