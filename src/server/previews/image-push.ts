// A registry push of the tag a waiting preview needs (its version, default sha-<head short sha>)
// deploys that preview — as CI calling `ferry preview deploy` does. The webhook side only
// matches and queues: for every preview (or pull request whose sync is still queued) whose
// version is the pushed tag and whose services run the pushed repository, a preview request
// `image` is queued under a coalescing key (preview, tag, repository), so the events of one
// multi-arch push make one request, on any replica. The request runs in the pull request's own
// queue, after any sync before it, and checks again: the preview still waits for that version;
// each of its images has been pushed (a preview of several images deploys once the last one is);
// then it deploys.
import { platformOf } from '../../engine/actions/environments.ts';
import { previewServices } from '../../engine/actions/preview.ts';
import {
  formatRepository,
  parseRepository,
  sameRepository,
  type RepositoryName,
} from '../../engine/autodeploy/repository.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { derivePreviewEnvironment, previewName, previewVersion } from '../../model/preview.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import type { Previews } from '../../model/types.ts';
import type { PreviewRecord } from '../../store/server-types.ts';
import type { ServerContext } from '../context.ts';
import { enqueueOnce } from '../routes/requests.ts';
import { fromRecord, type PullRequestInfo } from './pull-request.ts';
import type { PreviewPayload } from './payload.ts';

export interface PreviewPushView {
  number: number;
  environment: string;
  /** the request queued for it (or the one already holding this push) */
  request: number;
  why: string;
}

/** The image repositories of a preview's services (canonical, sorted, once each). */
export function previewRepositories(app: LoadedApp, previews: Previews, pr: PullRequestInfo): string[] {
  const env = derivePreviewEnvironment(platformOf(app), pr);
  const out = new Set<string>();
  for (const service of previewServices(app))
    out.add(
      formatRepository(
        parseRepository(resolveWorkload(app, service, previews.from, 'x', env).imageRepository),
      ),
    );
  return [...out].sort();
}

/** The pull requests a push may be for: the waiting previews', and those of syncs not run yet. */
async function candidates(ctx: ServerContext): Promise<PullRequestInfo[]> {
  const byNumber = new Map<number, PullRequestInfo[]>();
  const add = (pr: PullRequestInfo) => byNumber.set(pr.number, [...(byNumber.get(pr.number) ?? []), pr]);
  const records = await ctx.records.listPreviews();
  // a preview deployed or deploying takes a version only through a sync (a new head commit)
  for (const p of records) if (p.state === 'waiting') add(fromRecord(p));
  for (const state of ['queued', 'running'] as const)
    for (const r of await ctx.records.listRequests({ service: '*', state, limit: 200 })) {
      const payload = r.payload as unknown as PreviewPayload;
      if (r.kind === 'preview' && payload.op === 'sync') add(payload.pr);
    }
  return [...byNumber.values()].flat();
}

/** Queues an `image` request for each preview the pushed tag of `pushed` is the version of. */
export async function previewsForPush(
  ctx: ServerContext,
  app: LoadedApp,
  push: { repository: RepositoryName; tag: string },
  by: string,
): Promise<PreviewPushView[]> {
  const previews = platformOf(app).previews;
  if (!previews) return [];
  const out: PreviewPushView[] = [];
  const done = new Set<number>();
  for (const pr of await candidates(ctx)) {
    if (done.has(pr.number) || previewVersion(previews, pr) !== push.tag) continue;
    let repositories: string[];
    try {
      repositories = previewRepositories(app, previews, pr);
    } catch (e) {
      // a previews section that does not resolve stops no auto-deploy; its deploys say why
      ctx.log.warn(
        { preview: pr.number, error: e instanceof Error ? e.message : String(e) },
        'previews: the images of a preview could not be resolved',
      );
      continue;
    }
    const repository = repositories.find((r) => sameRepository(parseRepository(r), push.repository));
    if (!repository) continue;
    done.add(pr.number);
    const payload: PreviewPayload = { op: 'image', pr, version: push.tag, repository };
    const q = await enqueueOnce(
      ctx,
      {
        kind: 'preview',
        service: '*',
        environment: previewName(pr.number),
        payload: payload as unknown as Record<string, unknown>,
        requestedBy: by,
        tokenId: undefined,
        approvalsNeeded: 0,
      },
      `preview:${pr.number}:${push.tag}:${repository}`,
    );
    out.push({
      number: pr.number,
      environment: previewName(pr.number),
      request: q.request.id,
      why: q.inserted
        ? `${push.tag} is the version of preview ${previewName(pr.number)}`
        : `${push.tag} is already on its way to ${previewName(pr.number)} (request ${q.request.id})`,
    });
  }
  return out;
}

/**
 * Whether the preview deploys `version` now that `repository` was pushed: it still waits for that
 * version, and every one of its images has been pushed. Records the push on `p`.
 */
export function imagePushed(
  app: LoadedApp,
  previews: Previews,
  p: PreviewRecord,
  version: string,
  repository: string,
): { deploy: true } | { deploy: false; why: string } {
  const expected = previewVersion(previews, fromRecord(p));
  if (p.state !== 'waiting' || expected !== version)
    return {
      deploy: false,
      why:
        expected !== version
          ? `preview ${p.environment} now waits for ${expected}, not ${version}: nothing to do`
          : `preview ${p.environment} is ${p.state}${p.version ? ` at ${p.version}` : ''}: nothing to do`,
    };
  const seen = new Set(p.pushed?.version === version ? p.pushed.repositories : []);
  seen.add(repository);
  p.pushed = { version, repositories: [...seen].sort() };
  const missing = previewRepositories(app, previews, fromRecord(p)).filter((r) => !seen.has(r));
  if (missing.length > 0)
    return {
      deploy: false,
      why: `preview ${p.environment}: ${repository}:${version} pushed; waits for ${missing.map((r) => `${r}:${version}`).join(', ')}`,
    };
  return { deploy: true };
}
