// Release history: cursor-paged summaries (no object bodies), and one release with its steps,
// its objects (Secret values redacted) and the diff to its predecessor.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { normalize } from '../../engine/actions/diff.ts';
import type { KObject } from '../../cluster/types.ts';
import { releaseView } from '../../engine/views.ts';
import { keyOf } from '../../store/types.ts';
import type { ServerContext } from '../context.ts';
import { route, type Route } from '../route.ts';
import { releaseParams, releasesQuery } from '../schemas.ts';

function yamlOf(o: KObject): string {
  return stringify(JSON.parse(JSON.stringify(normalize(o))), { sortMapEntries: true });
}

/** Per object: what changed from the previous release to this one (Secrets redacted). */
function objectDiff(
  before: readonly KObject[],
  after: readonly KObject[],
): { kind: string; name: string; diff: string }[] {
  const key = (o: KObject) => `${o.kind}/${o.metadata.name}`;
  const b = new Map(before.map((o) => [key(o), o]));
  const a = new Map(after.map((o) => [key(o), o]));
  const out: { kind: string; name: string; diff: string }[] = [];
  for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const x = b.get(k);
    const y = a.get(k);
    const left = x ? yamlOf(x) : '';
    const right = y ? yamlOf(y) : '';
    if (left === right) continue;
    const [kind = '', name = ''] = k.split('/');
    out.push({
      kind,
      name,
      diff: createTwoFilesPatch(`before/${k}`, `after/${k}`, left, right, undefined, undefined, {
        context: 3,
      }),
    });
  }
  return out;
}

async function previousOf(ctx: ServerContext, r: { service: string; environment: string; id: number }) {
  return (
    await ctx.store.releases({ service: r.service, environment: r.environment, beforeId: r.id, limit: 1 })
  ).items[0];
}

export const releaseRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/releases',
    summary:
      'Release summaries, newest first, filtered, cursor-paged (before: the last id of the previous page).',
    tag: 'releases',
    access: { kind: 'token', role: 'viewer' },
    query: releasesQuery,
    status: 200,
    async handler({ query, ctx }) {
      const page = await ctx.store.releases({
        ...(query.service ? { service: query.service } : {}),
        ...(query.environment ? { environment: query.environment } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.before ? { beforeId: query.before } : {}),
        limit: query.limit ?? 50,
      });
      return { status: 200, body: { releases: page.items.map((r) => releaseView(r)), next: page.next } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/releases/{service}/{environment}/{id}',
    summary:
      'One release with its steps, its objects (Secret values redacted) and the diff to the release before it.',
    tag: 'releases',
    access: { kind: 'token', role: 'viewer' },
    params: releaseParams,
    status: 200,
    async handler({ params, ctx }) {
      const r = await ctx.store.release(params);
      const prev = await previousOf(ctx, params);
      const before = prev ? ((await ctx.store.release(keyOf(prev))).objects as KObject[]) : [];
      const objects = r.objects as KObject[];
      return {
        status: 200,
        body: {
          release: releaseView(r),
          objects: objects.map((o) => normalize(o)),
          previous: prev ? releaseView(prev) : undefined,
          diff: objectDiff(before, objects),
        },
      };
    },
  }),
];
