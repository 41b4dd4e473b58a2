// Running one queued preview request (kind `preview`, environment pr-<n>; the queue runs one at a
// time per pull request, in order):
// - sync: a pull request opened, reopened, updated or labelled (or found open by a resync):
//   refused over previews.maxCount (said in the PR comment); else the record is updated and, when
//   the platform does not wait for a version, the head commit's version deploys;
// - deploy: a version for the preview (CI, the API, `ferry preview deploy`);
// - image: a registry pushed the version a waiting preview needs (image-push.ts): it deploys once
//   every image of the preview has been pushed;
// - teardown: closed, the opt-in label removed, the TTL, or `ferry preview rm` — the only ways a
//   preview is deleted.
import { PreviewDeploy, type PreviewDeployReport } from '../../engine/actions/preview.ts';
import { PreviewTeardown } from '../../engine/actions/preview-teardown.ts';
import { platformOf } from '../../engine/actions/environments.ts';
import type { RunContext } from '../../engine/context.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { derivePreviewEnvironment, previewName, previewsOf, previewVersion } from '../../model/preview.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import type { Previews } from '../../model/types.ts';
import type { PreviewRecord, QueuedRequest, RequestState } from '../../store/server-types.ts';
import type { ServerContext } from '../context.ts';
import type { ServiceLine } from './comment.ts';
import { PreviewReporter } from './github-report.ts';
import { imagePushed } from './image-push.ts';
import type { PreviewPayload } from './payload.ts';
import { eligibility, requiredLabel, type PullRequestInfo } from './pull-request.ts';

/** How a preview request ended (the queue's request state and message). */
export interface RequestOutcome {
  state: RequestState;
  message: string;
}

/** The public URL of each preview service (its first public route), for the comment and the Deployment. */
function serviceUrls(app: LoadedApp, previews: Previews, pr: PullRequestInfo, services: readonly string[]) {
  const env = derivePreviewEnvironment(platformOf(app), pr);
  const scheme = env.tls.kind === 'none' ? 'http' : 'https';
  return services.map((service) => {
    const route = resolveWorkload(app, service, previews.from, 'url', env).routes.find((r) => r.public);
    return {
      service,
      url: route ? `${scheme}://${route.host}${route.path === '/' ? '' : route.path}` : undefined,
    };
  });
}

function newRecord(
  pr: PullRequestInfo,
  namespace: string,
  domain: string | undefined,
  now: number,
): PreviewRecord {
  return {
    number: pr.number,
    repository: pr.repository,
    branch: pr.branch,
    headSha: pr.headSha,
    fork: pr.fork,
    labels: pr.labels,
    environment: previewName(pr.number),
    namespace,
    createdNamespace: false,
    domain,
    version: undefined,
    state: 'waiting',
    message: '',
    commentId: undefined,
    deploymentId: undefined,
    createdAt: now,
    updatedAt: now,
  };
}

export async function runPreview(
  ctx: ServerContext,
  r: QueuedRequest,
  app: LoadedApp,
  run: RunContext,
): Promise<RequestOutcome> {
  const payload = r.payload as unknown as PreviewPayload;
  const previews = previewsOf(platformOf(app));
  const report = new PreviewReporter(ctx, previews.ttlSeconds);
  const pr = payload.pr;
  const existing = await ctx.records.getPreview(pr.number);
  const done = (state: RequestOutcome['state'], message: string): RequestOutcome => ({
    state,
    message: report.problems.length ? `${message} (GitHub: ${report.problems.join('; ')})` : message,
  });

  const need = requiredLabel(previews, pr);
  if (payload.label !== undefined && payload.label !== need) {
    if (existing) await ctx.records.putPreview({ ...existing, labels: pr.labels });
    return done('succeeded', `label "${payload.label}" is not the previews' opt-in label: nothing to do`);
  }
  if (payload.op === 'teardown') {
    if (!existing) return done('succeeded', `no preview for pull request ${pr.number}: nothing to remove`);
    const out = await new PreviewTeardown(ctx.engine, app).run({
      pr: { number: existing.number, branch: existing.branch, headSha: existing.headSha },
      namespace: existing.namespace,
      createdNamespace: existing.createdNamespace,
    });
    const why = payload.reason ?? 'removed';
    await report.deploymentStatus(existing, 'inactive', `removed: ${why}`, undefined);
    await report.comment(existing, { removed: `${why}; ${out.message}` });
    await ctx.records.deletePreview(existing.number);
    return done('succeeded', `preview ${existing.environment} removed (${why}): ${out.message}`);
  }

  if (payload.op === 'image') {
    if (!existing) return done('succeeded', `no preview for pull request ${pr.number}: nothing to do`);
    const version = payload.version ?? '';
    const p: PreviewRecord = { ...existing };
    const v = imagePushed(app, previews, p, version, payload.repository ?? '');
    if (!v.deploy) {
      // a push for the preview counts as an update (the TTL counts from it)
      if (p.pushed !== existing.pushed) await ctx.records.putPreview({ ...p, updatedAt: ctx.now() });
      return done('succeeded', v.why);
    }
    p.updatedAt = ctx.now();
    return deployPreview(ctx, app, previews, p, version, report, run, done);
  }

  const env = derivePreviewEnvironment(platformOf(app), pr);
  const now = ctx.now();
  const p: PreviewRecord = existing
    ? {
        ...existing,
        branch: pr.branch,
        headSha: pr.headSha,
        labels: pr.labels,
        fork: pr.fork,
        updatedAt: now,
      }
    : newRecord(pr, env.namespace, env.domain, now);

  if (payload.op === 'sync') {
    const ok = eligibility(previews, pr);
    if (!ok.ok) return done('succeeded', `no preview: ${ok.why}`);
    if (!existing || existing.state === 'refused') {
      const others = (await ctx.records.listPreviews()).filter(
        (x) => x.number !== pr.number && x.state !== 'refused',
      );
      if (others.length >= previews.maxCount) {
        p.state = 'refused';
        p.message = `There are ${others.length} previews already, the most previews.maxCount allows (${previews.maxCount}): close one, or raise the limit, then push again.`;
        await report.comment(p);
        await ctx.records.putPreview(p);
        return done(
          'rejected',
          `E_PREVIEW_LIMIT: preview ${p.environment} refused: ${others.length} of ${previews.maxCount} previews exist`,
        );
      }
    }
    if (previews.waitForVersion) {
      const waitingFor = previewVersion(previews, pr);
      p.state = 'waiting';
      p.message = '';
      await ctx.records.putPreview(p);
      await report.comment(p, { waitingFor });
      await ctx.records.putPreview(p);
      return done('succeeded', `preview ${p.environment} waits for version ${waitingFor}`);
    }
  }
  const version = payload.version ?? previewVersion(previews, pr);
  return deployPreview(ctx, app, previews, p, version, report, run, done);
}

async function deployPreview(
  ctx: ServerContext,
  app: LoadedApp,
  previews: Previews,
  p: PreviewRecord,
  version: string,
  report: PreviewReporter,
  run: RunContext,
  done: (state: RequestOutcome['state'], message: string) => RequestOutcome,
): Promise<RequestOutcome> {
  const action = new PreviewDeploy(ctx.engine, app);
  const pr = { number: p.number, branch: p.branch, headSha: p.headSha };
  const { services } = action.plan({ pr, version });
  const urls = serviceUrls(app, previews, { ...p, labels: [...p.labels] }, services);
  const lines = (outcome: (s: string) => string): ServiceLine[] =>
    urls.map((u) => ({ service: u.service, outcome: outcome(u.service), url: u.url }));
  p.state = 'deploying';
  p.version = version;
  p.message = '';
  await ctx.records.putPreview(p);
  await report.commitStatus(p, 'pending', `deploying ${version} to ${p.environment}`);
  await report.deployment(p, version);
  await report.deploymentStatus(p, 'in_progress', `deploying ${version}`, undefined);
  await report.comment(p, { services: lines(() => 'deploying') });
  await ctx.records.putPreview(p);
  let out: PreviewDeployReport;
  try {
    out = await action.run({ pr, version, waitLockMs: ctx.settings.waitLockMs }, run);
  } catch (e) {
    p.state = 'failed';
    p.message = e instanceof Error ? e.message : String(e);
    await report.commitStatus(p, 'error', p.message);
    await report.deploymentStatus(p, 'error', p.message, undefined);
    await report.comment(p, { services: lines(() => 'not deployed') });
    await ctx.records.putPreview(p);
    throw e;
  }
  const byService = new Map(out.releases.map((x) => [x.service, x]));
  const failed = out.releases.filter((x) => x.outcome !== 'succeeded');
  p.createdNamespace = out.createdNamespace;
  p.state = out.outcome === 'succeeded' ? 'ready' : 'failed';
  p.message =
    out.outcome === 'succeeded'
      ? `${out.releases.length} services at ${version}; ${out.tls}${out.backing ? `; ${out.backing}` : ''}`
      : `${failed.map((x) => `${x.service}: ${x.message}`).join('; ') || 'cancelled'}`;
  p.updatedAt = ctx.now();
  const ok = out.outcome === 'succeeded';
  const summary = ok
    ? `${out.releases.length} services ready at ${version}`
    : `${failed.length} of ${services.length} services failed at ${version}`;
  await report.commitStatus(p, ok ? 'success' : 'failure', summary);
  await report.deploymentStatus(p, ok ? 'success' : 'failure', summary, urls.find((u) => u.url)?.url);
  await report.comment(p, {
    services: lines((s) => byService.get(s)?.outcome ?? 'not started'),
  });
  await ctx.records.putPreview(p);
  return done(ok ? 'succeeded' : 'failed', `preview ${p.environment}: ${summary}`);
}
