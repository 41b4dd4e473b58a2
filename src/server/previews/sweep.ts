// The previews' two timers. The TTL: a preview with no update for previews.ttl is queued for
// teardown. The resync: the open pull requests are listed from GitHub to catch webhooks that never
// arrived, and an eligible one without a preview is queued — a resync only ever ADDS. A failed
// listing, a 5xx, a timeout or an empty list changes nothing: no preview is removed because GitHub
// did not mention it (Argo CD's pull-request generator deleted every preview that way).
import { platformOf } from '../../engine/actions/environments.ts';
import { formatDuration } from '../../model/duration.ts';
import { previewName } from '../../model/preview.ts';
import type { ServerContext } from '../context.ts';
import { publish, requestEvent } from '../events.ts';
import { eligibility, fromListing, fromRecord, type PullRequestInfo } from './pull-request.ts';
import type { PreviewOp, PreviewPayload } from './payload.ts';

/** Queues a preview request for pull request `pr` (one runs at a time per pull request). */
export async function enqueuePreview(
  ctx: ServerContext,
  op: PreviewOp,
  pr: PullRequestInfo,
  by: string,
  extra: { version?: string; reason?: string; label?: string; tokenId?: string } = {},
) {
  const payload: PreviewPayload = {
    op,
    pr,
    ...(extra.version ? { version: extra.version } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.label !== undefined ? { label: extra.label } : {}),
  };
  const q = await ctx.records.insertRequest({
    kind: 'preview',
    service: '*',
    environment: previewName(pr.number),
    payload: payload as unknown as Record<string, unknown>,
    requestedBy: by,
    tokenId: extra.tokenId,
    approvalsNeeded: 0,
    createdAt: ctx.now(),
  });
  publish(ctx.events, requestEvent('request.queued', q));
  ctx.wake();
  return q;
}

/** Whether a teardown of this preview is already queued or running. */
async function teardownPending(ctx: ServerContext, environment: string): Promise<boolean> {
  for (const state of ['queued', 'running'] as const) {
    const rs = await ctx.records.listRequests({ environment, state, limit: 20 });
    if (rs.some((r) => r.kind === 'preview' && (r.payload as { op?: string }).op === 'teardown')) return true;
  }
  return false;
}

/** Queues the teardown of every preview past its TTL; the numbers queued. */
export async function sweepExpired(ctx: ServerContext): Promise<number[]> {
  const { app } = await ctx.project.load();
  const previews = platformOf(app).previews;
  if (!previews) return [];
  const now = ctx.now();
  const out: number[] = [];
  for (const p of await ctx.records.listPreviews()) {
    if (p.updatedAt + previews.ttlSeconds * 1000 > now) continue;
    if (await teardownPending(ctx, p.environment)) continue;
    await enqueuePreview(ctx, 'teardown', fromRecord(p), 'ferry (ttl)', {
      reason: `no update for ${formatDuration(previews.ttlSeconds)} (previews.ttl)`,
    });
    out.push(p.number);
  }
  return out;
}

export interface ResyncResult {
  repositories: string[];
  listed: number;
  queued: number[];
  /** why a repository could not be listed; nothing was changed for it */
  errors: string[];
}

/** Lists open pull requests of every repository previews were made for (or `repositories`) and queues missing ones. */
export async function resync(ctx: ServerContext, repositories?: readonly string[]): Promise<ResyncResult> {
  const result: ResyncResult = { repositories: [], listed: 0, queued: [], errors: [] };
  const gh = ctx.github;
  const { app } = await ctx.project.load();
  const previews = platformOf(app).previews;
  if (!gh || !previews) return result;
  const records = await ctx.records.listPreviews();
  const repos = [...new Set(repositories ?? records.map((p) => p.repository))].sort();
  result.repositories = repos;
  const known = new Set(records.map((p) => p.number));
  for (const repo of repos) {
    let open;
    try {
      open = await gh.openPullRequests(repo);
    } catch (e) {
      result.errors.push(`${repo}: ${e instanceof Error ? e.message : String(e)}`);
      ctx.log.warn(
        { repository: repo, error: result.errors.at(-1) },
        'resync: could not list pull requests; nothing changed',
      );
      continue;
    }
    result.listed += open.length;
    for (const o of open) {
      const pr = fromListing(o);
      if (known.has(pr.number) || !eligibility(previews, pr).ok) continue;
      await enqueuePreview(ctx, 'sync', pr, 'ferry (resync)');
      result.queued.push(pr.number);
    }
  }
  return result;
}

/** Starts both timers; returns the stop function. */
export function startPreviewTimers(ctx: ServerContext, sweepMs: number, resyncMs: number): () => void {
  const timers: NodeJS.Timeout[] = [];
  const guard = (what: string, f: () => Promise<unknown>) => () =>
    void f().catch((e: unknown) =>
      ctx.log.warn({ error: e instanceof Error ? e.message : String(e) }, `previews: ${what} failed`),
    );
  if (sweepMs > 0)
    timers.push(
      setInterval(
        guard('the TTL sweep', () => sweepExpired(ctx)),
        sweepMs,
      ),
    );
  if (resyncMs > 0)
    timers.push(
      setInterval(
        guard('the resync', () => resync(ctx)),
        resyncMs,
      ),
    );
  for (const t of timers) t.unref();
  return () => timers.forEach((t) => clearInterval(t));
}
