// The read model over release Secrets. A list of Secrets carries their bodies, so a query of one
// (service, environment) pair never lists the whole history: it asks for a window of ids below the
// pair's next id (`store.ferry.dev/id in (…)`), newest first, widening the window until it has
// enough, and lists the rest of the history only after a few windows came back short (a
// last-successful release far behind many failures). Queries across pairs find the pairs by their
// history heads: small histories are listed at once, large ones merge the newest of each pair.
// So a query costs what it returns (times the pairs it spans), not what the history holds.
import type { KObject } from '../../cluster/types.ts';
import type { ReleaseKind, ReleaseOutcome, ReleaseSummary } from '../types.ts';
import { readHead } from './history-head.ts';
import { recordSelector } from './names.ts';
import type { Place } from './place.ts';
import { decodeHistory, pairOf, type HistoryHead } from './records.ts';
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
/** Releases ever recorded by the pairs of a query under which listing them all is cheaper than windows. */
const LIST_AT_ONCE = 300;

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

/** Releases of one pair, newest first. `head`: the pair's history head when the caller read it. */
export async function pairReleases(place: Place, q: PairQuery, head?: HistoryHead): Promise<Found[]> {
  const filters = { service: q.service, environment: q.environment, outcome: q.outcome, kind: q.kind };
  const keep = matches(q);
  head ??= await readHead(place, q.service, q.environment);
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

interface PairAt {
  place: Place;
  service: string;
  environment: string;
  head: HistoryHead;
}

/** Every pair with a history head in `places`, optionally of one service and/or environment. */
async function pairsIn(
  places: readonly Place[],
  q: { service?: string; environment?: string },
): Promise<PairAt[]> {
  const selector = recordSelector('history', { service: q.service, environment: q.environment });
  const heads = await Promise.all(
    places.map(async (place) =>
      (await place.list('v1', 'ConfigMap', selector)).map((o) => ({
        place,
        ...pairOf(o),
        head: decodeHistory(o) ?? { nextId: 1, kinds: [] },
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

type CrossQuery = Omit<PairQuery, 'service' | 'environment'> & { service?: string; environment?: string };

/**
 * What a query over several pairs reads: when their histories are small together (by their next
 * ids, which count every release ever recorded), one list of each place at once, bodies and all;
 * else each pair's newest by windows, in parallel — one list per pair, whatever its history holds.
 */
async function acrossPairs(places: readonly Place[], q: CrossQuery, perPair: number): Promise<Found[]> {
  const pairs = await pairsIn(places, q);
  const recorded = pairs.reduce((n, p) => n + p.head.nextId - 1, 0);
  if (recorded <= LIST_AT_ONCE) {
    const selector = recordSelector('release', {
      service: q.service,
      environment: q.environment,
      outcome: q.outcome,
      kind: q.kind,
    });
    const lists = await Promise.all(
      [...new Set(pairs.map((p) => p.place))].map((p) => p.list('v1', 'Secret', selector)),
    );
    return decodeAll(lists.flat(), matches(q));
  }
  const lists = await Promise.all(
    pairs.map((p) =>
      pairReleases(p.place, { ...q, service: p.service, environment: p.environment, limit: perPair }, p.head),
    ),
  );
  return lists.flat();
}

/**
 * Releases over several pairs (a service in every environment, an environment, everything),
 * newest first by start time, then by service, environment and id. `beforeId` applies to each
 * pair's own ids.
 */
export async function crossReleases(places: readonly Place[], q: CrossQuery): Promise<Found[]> {
  return (await acrossPairs(places, q, q.limit))
    .sort(
      (a, b) =>
        b.summary.startedAt - a.summary.startedAt ||
        a.summary.service.localeCompare(b.summary.service) ||
        a.summary.environment.localeCompare(b.summary.environment) ||
        b.summary.id - a.summary.id,
    )
    .slice(0, q.limit);
}

/** The newest release of every pair in `places`, by service then environment. */
export async function latestOfPairs(
  places: readonly Place[],
  environment: string | undefined,
): Promise<ReleaseSummary[]> {
  const newest = new Map<string, ReleaseSummary>();
  for (const { summary } of await acrossPairs(places, { environment, limit: 1 }, 1)) {
    const key = `${summary.service}/${summary.environment}`;
    if ((newest.get(key)?.id ?? 0) < summary.id) newest.set(key, summary);
  }
  return [...newest.values()].sort(
    (a, b) => a.service.localeCompare(b.service) || a.environment.localeCompare(b.environment),
  );
}
