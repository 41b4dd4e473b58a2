// Release ids per (service, environment), allocated without races: the pair's history head (a
// ConfigMap holding the next id and the kinds applied) is updated with compare-and-set, so two
// processes allocating at once get two ids; the loser of a race reads again and takes the next.
// An id whose release was never written (the process died in between) is a gap, never reused.
// A head deleted by hand is rebuilt from the largest id of the pair's release Secrets.
import type { LastSeen } from './cas.ts';
import { LABEL_ID, historyName, recordSelector } from './names.ts';
import type { Place } from './place.ts';
import { decodeHistory, historyConfigMap, type HistoryHead } from './records.ts';

export async function readHead(
  place: Place,
  service: string,
  environment: string,
): Promise<HistoryHead | undefined> {
  return decodeHistory(await place.get('v1', 'ConfigMap', historyName(service, environment)));
}

/** The largest release id of the pair among its Secrets (only when the head is missing). */
async function largestStoredId(place: Place, service: string, environment: string): Promise<number> {
  const items = await place.list('v1', 'Secret', recordSelector('release', { service, environment }));
  return Math.max(0, ...items.map((o) => Number(o.metadata.labels?.[LABEL_ID] ?? 0)));
}

/** Changes the head with compare-and-set; `change` may run several times, on fresh reads. */
async function updateHead<T>(
  seen: LastSeen,
  place: Place,
  service: string,
  environment: string,
  change: (head: HistoryHead) => { head: HistoryHead; result: T },
): Promise<T> {
  // a head deleted by hand is rebuilt from the Secrets (read before the compare-and-set loop)
  const rebuilt = async () => ({
    nextId: (await largestStoredId(place, service, environment)) + 1,
    kinds: [],
  });
  const name = historyName(service, environment);
  let missing: HistoryHead | undefined;
  for (;;) {
    const fallback = missing;
    const done = await place.update(
      seen,
      { apiVersion: 'v1', kind: 'ConfigMap', name },
      `the history of ${service} in ${environment}`,
      (live) => {
        const head = decodeHistory(live) ?? fallback;
        if (!head) return { write: undefined, result: undefined };
        const next = change(head);
        return {
          write: historyConfigMap(service, environment, next.head, live),
          result: { value: next.result },
        };
      },
    );
    if (done) return done.value;
    missing = await rebuilt();
  }
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/** Takes the next id of the pair, recording the kinds its release applies. */
export function allocateId(
  seen: LastSeen,
  place: Place,
  service: string,
  environment: string,
  kinds: readonly string[],
): Promise<number> {
  return updateHead(seen, place, service, environment, (h) => ({
    head: { nextId: h.nextId + 1, kinds: union(h.kinds, kinds) },
    result: h.nextId,
  }));
}

/** After an id was given from outside (an import): later ids are larger than `id`. */
export function advancePast(
  seen: LastSeen,
  place: Place,
  service: string,
  environment: string,
  id: number,
  kinds: readonly string[],
): Promise<void> {
  return updateHead(seen, place, service, environment, (h) => ({
    head: { nextId: Math.max(h.nextId, id + 1), kinds: union(h.kinds, kinds) },
    result: undefined,
  }));
}
