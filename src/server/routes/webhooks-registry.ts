// POST /webhooks/registry/{provider}: a registry says an image was pushed. Checked by the hook's
// token or GitHub's signature (not a ferry token), read in the provider's documented shape,
// deduplicated, and matched against every service × environment's auto-deploy policy by the
// engine; what deploys is queued (202). A replay answers 200 and does nothing.
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { route, type Route } from '../route.ts';
import { webhookBody } from '../webhooks/body.ts';
import { handleRegistryDelivery } from '../webhooks/registry/handle.ts';
import { authenticateHook } from '../webhooks/registry/hook-auth.ts';
import { REGISTRY_PROVIDERS, parseRegistryDelivery } from '../webhooks/registry/payloads.ts';
import { registryApiFrom } from '../webhooks/registry/registry-api.ts';

const decision = z.object({
  service: z.string(),
  environment: z.string(),
  policy: z.string(),
  current: z.string().optional(),
  deploy: z.boolean(),
  version: z.string().optional(),
  why: z.string(),
  protected: z.boolean(),
  approvals: z.number().int(),
  repository: z.string(),
  tag: z.string(),
  digest: z.string().optional(),
  request: z.number().int().optional(),
});

export const deliveryAnswerSchema = z.object({
  provider: z.enum(REGISTRY_PROVIDERS),
  delivery: z.string(),
  duplicate: z.boolean().describe('seen before: nothing was done'),
  note: z.string().optional(),
  decisions: z.array(decision),
  previews: z
    .array(
      z.object({
        number: z.number().int(),
        environment: z.string(),
        request: z.number().int(),
        why: z.string(),
      }),
    )
    .describe('waiting previews whose version this push is: the preview request queued for each'),
});

const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

function env(ctx: ServerContext): Readonly<Record<string, string | undefined>> {
  return ctx.engine.env;
}

export const registryWebhookRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/webhooks/registry/{provider}',
    summary:
      'An image push from Docker Hub, Distribution, Harbor, GHCR or Quay: deploys it where the auto-deploy policy says so (202), a replay does nothing (200).',
    tag: 'webhooks',
    access: { kind: 'signature' },
    params: z.object({ provider: z.enum(REGISTRY_PROVIDERS) }),
    response: deliveryAnswerSchema,
    status: 202,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    async handler({ params, ctx, request }) {
      const bytes = await webhookBody(request, WEBHOOK_BODY_LIMIT, 'a registry');
      authenticateHook(params.provider, env(ctx), {
        url: request.url,
        headers: request.headers,
        body: bytes,
      });
      const body = bytes.toString('utf8');
      const delivery = parseRegistryDelivery(params.provider, { body, headers: request.headers });
      const answer = await handleRegistryDelivery(ctx, delivery, registryApiFrom(env(ctx)));
      const queued = [
        ...answer.decisions
          .filter((d) => d.deploy)
          .map((d) => `${d.service}/${d.environment} ${d.version} (request ${d.request})`),
        ...answer.previews.map((p) => `preview ${p.environment} (request ${p.request})`),
      ];
      return {
        status: answer.duplicate ? 200 : 202,
        body: answer,
        audit: {
          detail: `webhook registry ${params.provider} ${delivery.event} ${delivery.id}: ${
            answer.duplicate
              ? 'a replay, ignored'
              : queued.length
                ? queued.join(', ')
                : (delivery.note ?? 'nothing to deploy')
          }`,
        },
      };
    },
  }),
];
