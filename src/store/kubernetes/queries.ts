// The read model over release Secrets. A list of Secrets carries their bodies, so a query of one
// (service, environment) pair never lists the whole history: it asks for a window of ids below the
// pair's next id (`store.ferry.dev/id in (…)`), newest first, widening the window until it has
// enough, and lists the rest of the history only after a few windows came back short (a
// last-successful release far behind many failures). Queries across pairs find the pairs by their
// history heads and merge the newest of each. Every query costs what it returns (times the pairs
// it spans), not what the history holds.
import type { KObject } from '../../cluster/types.ts';
import type { ReleaseKind, ReleaseOutcome, ReleaseSummary } from '../types.ts';
import { readHead } from './history-head.ts';
import { recordSelector } from './names.ts';
import type { Place } from './place.ts';
import { pairOf } from './records.ts';
import { decodeSummary } from './release-record.ts';

/** A release Secret with its decoded summary. */
export interface Found {
  summary: ReleaseSummary;
  object: KObject;
}

export interface PairQuery {
  service: string;
  environment: string;
  outcome?: ReleaseOutcome | undefined;
  kind?: ReleaseKind | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** At most this many ids in one selector (its length stays well inside a URL). */
const MAX_WINDOW = 100;
/** Windows before the rest of the history is listed at once. */
const MAX_WINDOWS = 4;

const newestFirst = (a: Found, b: Found) => b.summary.id - a.summary.id;

function decodeAll(items: readonly KObject[], keep: (s: ReleaseSummary) => boolean): Found[] {
  return items.map((object) => ({ summary: decodeSummary(object), object })).filter((f) => keep(f.summary));
}

function matches(
  q: Omit<PairQuery, 'limit' | 'service' | 'environment'> & { service?: string; environment?: string },
) {
  return (s: ReleaseSummary) =>
    (q.service === undefined || s.service === q.service) &&
    (q.environment === undefined || s.environment === q.environment) &&
    (q.outcome === undefined || s.outcome === q.outcome) &&
    (q.kind === undefined || s.kind === q.kind) &&
    (q.beforeId === undefined || s.id < q.beforeId);
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => hi - i);

/** Releases of one pair, newest first. */
export async function pairReleases(place: Place, q: PairQuery): Promise<Found[]> {
  const filters = { service: q.service, environment: q.environment, outcome: q.outcome, kind: q.kind };
  const keep = matches(q);
  const head = await readHead(place, q.service, q.environment);
  let hi = Math.min(q.beforeId ?? Number.POSITIVE_INFINITY, head?.nextId ?? Number.POSITIVE_INFINITY) - 1;
  const found: Found[] = [];
  let width = Math.min(MAX_WINDOW, q.limit + 2);
  for (let round = 0; hi >= 1 && found.length < q.limit; round++) {
    if (!head || round === MAX_WINDOWS) {
      const upTo = hi;
      const rest = await place.list('v1', 'Secret', recordSelector('release', filters));
      found.push(...decodeAll(rest, (s) => keep(s) && s.id <= upTo).sort(newestFirst));
      break;
    }
    const lo = Math.max(1, hi - width + 1);
    const items = await place.list(
      'v1',
      'Secret',
      recordSelector('release', { ...filters, ids: range(lo, hi) }),
    );
    found.push(...decodeAll(items, keep).sort(newestFirst));
    hi = lo - 1;
    width = Math.min(MAX_WINDOW, width * 2);
  }
  return found.slice(0, q.limit);
}

/** Every pair with a history head in `places`, optionally of one service and/or environment. */
async function pairsIn(
  places: readonly Place[],
  q: { service?: string | undefined; environment?: string | undefined },
): Promise<{ place: Place; service: string; environment: string }[]> {
  const heads = await Promise.all(
    places.map(async (place) =>
      (
        await place.list(
          'v1',
          'ConfigMap',
          recordSelector('history', { service: q.service, environment: q.environment }),
        )
      ).map((o) => ({
        place,
        ...pairOf(o),
      })),
    ),
  );
  return heads
    .flat()
    .filter(
      (h) =>
        (q.service === undefined || h.service === q.service) &&
        (q.environment === undefined || h.environment === q.environment),
    );
}

/**
 * Releases over several pairs (a service in every environment, an environment, everything),
 * newest first by start time, then by service, environment and id: the newest `limit` of each
 * pair (windowed as above), merged. `beforeId` applies to each pair's own ids.
 */
export async function crossReleases(
  places: readonly Place[],
  q: Omit<PairQuery, 'service' | 'environment'> & { service?: string; environment?: string },
): Promise<Found[]> {
  const pairs = await pairsIn(places, q);
  const lists = await Promise.all(
    pairs.map((p) => pairReleases(p.place, { ...q, service: p.service, environment: p.environment })),
  );
  return lists
    .flat()
    .sort(
      (a, b) =>
        b.summary.startedAt - a.summary.startedAt ||
        a.summary.service.localeCompare(b.summary.service) ||
        a.summary.environment.localeCompare(b.summary.environment) ||
        b.summary.id - a.summary.id,
    )
    .slice(0, q.limit);
}

/** The newest release of every pair with a history head in `places`, by service then environment. */
export async function latestOfPairs(
  places: readonly Place[],
  environment: string | undefined,
): Promise<ReleaseSummary[]> {
  const pairs = await pairsIn(places, { environment });
  const latest = await Promise.all(
    pairs.map(
      async (p) =>
        (await pairReleases(p.place, { service: p.service, environment: p.environment, limit: 1 }))[0]
          ?.summary,
    ),
  );
  return latest
    .filter((s): s is ReleaseSummary => s !== undefined)
    .sort((a, b) => a.service.localeCompare(b.service) || a.environment.localeCompare(b.environment));
}
