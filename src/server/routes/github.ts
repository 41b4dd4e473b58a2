// POST /webhooks/github: GitHub's deliveries, checked by their signature (X-Hub-Signature-256 over
// the exact bytes), each handled once (X-GitHub-Delivery), answered at once — the work runs from
// the queue. `ping` is answered and does nothing; `pull_request` opened, reopened, synchronize and
// labeled queue a sync of the preview, closed and unlabeled a teardown decision. Everything else
// is acknowledged and ignored.
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { httpError } from '../errors.ts';
import { fromEvent, pullRequestEvent } from '../previews/pull-request.ts';
import { enqueuePreview } from '../previews/sweep.ts';
import { route, type Route } from '../route.ts';
import { webhookBody } from '../webhooks/body.ts';
import { firstDelivery } from '../webhooks/deliveries.ts';
import { GITHUB_SIGNATURE_HEADER, verifyGithubSignature } from '../webhooks/signature.ts';

/** GitHub sends at most 25 MB. */
const LIMIT = 25 * 1024 * 1024;

const answer = z.object({
  duplicate: z.boolean().optional().describe('a delivery seen before: nothing was done'),
  ok: z.boolean().optional(),
  zen: z.string().optional().describe("ping: GitHub's zen line"),
  ignored: z.string().optional().describe('an event or action previews do not use'),
  queued: z.number().int().optional().describe('the request that handles it'),
});

const SYNC = new Set(['opened', 'reopened', 'synchronize', 'labeled']);

function secretOf(ctx: ServerContext): string {
  const secret = ctx.settings.github?.webhookSecret;
  if (!secret)
    throw httpError(
      'E_SIGNATURE',
      'this server has no GitHub webhook secret, so it cannot check any delivery',
      "set the server's github webhook secret (FERRY_GITHUB_WEBHOOK_SECRET) to the hook's secret",
    );
  return secret;
}

export const githubRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/webhooks/github',
    summary:
      "GitHub webhook deliveries (ping, pull_request): signed with the hook's secret, deduplicated by X-GitHub-Delivery, answered at once; previews run from the queue.",
    tag: 'webhooks',
    access: { kind: 'signature' },
    response: answer,
    status: 202,
    bodyLimit: LIMIT,
    async handler({ request, ctx }) {
      const body = await webhookBody(request, LIMIT, 'GitHub');
      if (!verifyGithubSignature(secretOf(ctx), body, request.headers.get(GITHUB_SIGNATURE_HEADER)))
        throw httpError(
          'E_SIGNATURE',
          'the X-Hub-Signature-256 of this delivery does not match its body',
          "the hook's secret and the server's must be the same",
        );
      const event = request.headers.get('x-github-event') ?? '';
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw httpError(
          'E_BAD_REQUEST',
          'the delivery is not JSON',
          "set the hook's content type to application/json",
        );
      }
      const action =
        typeof (json as { action?: unknown }).action === 'string' ? (json as { action: string }).action : '';
      const parsed = event === 'pull_request' ? pullRequestEvent.safeParse(json) : undefined;
      if (parsed && !parsed.success)
        throw httpError(
          'E_BAD_REQUEST',
          `a pull_request delivery without ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
        );
      if (ctx.shuttingDown())
        throw httpError(
          'E_SHUTTING_DOWN',
          'this replica is shutting down',
          'redeliver it: another replica takes it',
        );
      const fresh = await firstDelivery(ctx, {
        source: 'github',
        hook: request.headers.get('x-github-hook-id') ?? undefined,
        id: request.headers.get('x-github-delivery') ?? undefined,
        event: action ? `${event}.${action}` : event,
      });
      const audit = (detail: string, environment = '') => ({
        detail: `github ${event}${action ? ` ${action}` : ''}: ${detail}`,
        environment,
      });
      if (!fresh) return { status: 200, body: { duplicate: true }, audit: audit('a redelivery, ignored') };
      if (event === 'ping')
        return {
          status: 200,
          body: { ok: true, zen: (json as { zen?: string }).zen ?? '' },
          audit: audit('pong'),
        };
      if (!parsed)
        return { status: 200, body: { ignored: `event ${event || '(none)'}` }, audit: audit('ignored') };
      const e = parsed.data;
      const pr = fromEvent(e);
      const by = `github:${e.sender?.login ?? 'unknown'}`;
      const env = `pr-${pr.number}`;
      if (SYNC.has(e.action) || e.action === 'unlabeled' || e.action === 'closed') {
        const q =
          e.action === 'closed'
            ? await enqueuePreview(ctx, 'teardown', pr, by, {
                reason: (e.pull_request as { merged?: boolean }).merged
                  ? 'the pull request was merged'
                  : 'the pull request was closed',
              })
            : e.action === 'unlabeled'
              ? await enqueuePreview(ctx, 'teardown', pr, by, {
                  reason: 'label removed',
                  label: e.label?.name ?? '',
                })
              : await enqueuePreview(
                  ctx,
                  'sync',
                  pr,
                  by,
                  e.action === 'labeled' ? { label: e.label?.name ?? '' } : {},
                );
        return { status: 202, body: { queued: q.id }, audit: audit(`request ${q.id}`, env) };
      }
      return { status: 200, body: { ignored: `pull_request ${e.action}` }, audit: audit('ignored', env) };
    },
  }),
];
