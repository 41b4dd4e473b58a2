// One registry delivery, after its token or signature was checked: the tags it pushed (a
// multi-arch push's events for one tag are one push), each resolved to its digest through the
// registry API when the payload has none and one is configured; recorded as a delivery (a
// replay is answered and does nothing); then the engine's auto-deploy decision for every
// service × environment the image runs in, and a deploy request queued for each "yes" — unless
// the same version is already waiting or running there (the other events of a multi-arch push,
// or of the same image under several hooks). A protected environment's request waits for approval.
// A push of the version a waiting preview needs queues that preview's deploy (previews/image-push.ts).
import { AutoDeploy, type AutoDeployDecision } from '../../../engine/actions/autodeploy.ts';
import { pushedRepository } from '../../../engine/autodeploy/repository.ts';
import { splitVersion } from '../../../engine/autodeploy/policy.ts';
import { FINAL_REQUEST_STATES } from '../../../store/server-types.ts';
import type { ServerContext } from '../../context.ts';
import { enqueueOnce } from '../../routes/requests.ts';
import { previewsForPush, type PreviewPushView } from '../../previews/image-push.ts';
import { firstDelivery } from '../deliveries.ts';
import type { ParsedPush, RegistryDelivery } from './payloads.ts';
import { resolveDigest, type RegistryApi } from './registry-api.ts';

export interface DecisionView extends AutoDeployDecision {
  repository: string;
  tag: string;
  digest: string | undefined;
  /** the request queued for it */
  request: number | undefined;
}

export interface DeliveryAnswer {
  provider: RegistryDelivery['provider'];
  delivery: string;
  duplicate: boolean;
  note: string | undefined;
  decisions: DecisionView[];
  /** waiting previews whose version this push is: the preview request queued for each */
  previews: PreviewPushView[];
}

/** The pushes of a delivery, one per repository and tag (the first digest named wins). */
export function distinctPushes(pushes: readonly ParsedPush[]): ParsedPush[] {
  const seen = new Map<string, ParsedPush>();
  for (const p of pushes) {
    const k = `${p.host ?? ''}/${p.path}:${p.tag}`;
    const had = seen.get(k);
    if (!had) seen.set(k, { ...p });
    else if (!had.digest && p.digest) had.digest = p.digest;
  }
  return [...seen.values()];
}

/** The pushes with their digests, asking the registry for those the payload did not give. */
export async function withDigests(
  pushes: readonly ParsedPush[],
  api: RegistryApi | undefined,
): Promise<ParsedPush[]> {
  const out: ParsedPush[] = [];
  for (const p of pushes)
    out.push(p.digest || !api ? p : { ...p, digest: await resolveDigest(api, p.path, p.tag) });
  return out;
}

/** An auto-deploy of `version` that has not finished yet in the pair. */
async function pending(ctx: ServerContext, d: AutoDeployDecision): Promise<number | undefined> {
  const recent = await ctx.records.listRequests({
    service: d.service,
    environment: d.environment,
    limit: 50,
  });
  const tag = splitVersion(d.version ?? '').tag;
  return recent.find(
    (r) =>
      r.kind === 'deploy' &&
      !FINAL_REQUEST_STATES.includes(r.state) &&
      typeof r.payload.version === 'string' &&
      splitVersion(r.payload.version).tag === tag,
  )?.id;
}

export async function handleRegistryDelivery(
  ctx: ServerContext,
  delivery: RegistryDelivery,
  api: RegistryApi | undefined,
): Promise<DeliveryAnswer> {
  const pushes = await withDigests(distinctPushes(delivery.pushes), api);
  const fresh = await firstDelivery(ctx, {
    source: 'registry',
    hook: delivery.provider,
    id: delivery.id,
    event: delivery.event,
  });
  const answer: DeliveryAnswer = {
    provider: delivery.provider,
    delivery: delivery.id,
    duplicate: !fresh,
    note: delivery.note,
    decisions: [],
    previews: [],
  };
  if (!fresh || pushes.length === 0) return answer;
  const { app } = await ctx.project.load();
  const auto = new AutoDeploy(ctx.engine, app);
  for (const p of pushes) {
    const repository = pushedRepository(p.host, p.path);
    answer.previews.push(
      ...(await previewsForPush(ctx, app, { repository, tag: p.tag }, `autodeploy/${delivery.provider}`)),
    );
    for (const d of await auto.decide({ repository, tag: p.tag, digest: p.digest })) {
      const view: DecisionView = {
        ...d,
        repository: p.host ? `${p.host}/${p.path}` : p.path,
        tag: p.tag,
        digest: p.digest,
        request: undefined,
      };
      answer.decisions.push(view);
      if (!d.deploy || !d.version) continue;
      const waiting = await pending(ctx, d);
      if (waiting !== undefined) {
        view.deploy = false;
        view.why = `${d.version} is already on its way (request ${waiting})`;
        view.request = waiting;
        continue;
      }
      const q = await enqueueOnce(
        ctx,
        {
          kind: 'deploy',
          service: d.service,
          environment: d.environment,
          payload: {
            version: d.version,
            // the approval is the confirmation a protected environment needs
            ...(d.protected ? { confirm: true } : {}),
            autoDeploy: { provider: delivery.provider, delivery: delivery.id, why: d.why },
          },
          requestedBy: `autodeploy/${delivery.provider}`,
          tokenId: undefined,
          approvalsNeeded: d.protected ? Math.max(1, d.approvals) : d.approvals,
        },
        // the other events of the same push, on this replica or another, coalesce into this one
        `autodeploy:${d.service}:${d.environment}:${splitVersion(d.version).tag}`,
      );
      if (!q.inserted) {
        view.deploy = false;
        view.why = `${d.version} is already on its way (request ${q.request.id})`;
      }
      view.request = q.request.id;
    }
  }
  return answer;
}
