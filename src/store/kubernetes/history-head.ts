// Release ids per (service, environment), allocated without races: the pair's history head (a
// ConfigMap holding the next id and the kinds applied) is updated with compare-and-set, so two
// processes allocating at once get two ids; the loser of a race reads again and takes the next.
// An id whose release was never written (the process died in between) is a gap, never reused.
// A head deleted by hand is rebuilt from the largest id of the pair's release Secrets.
import type { KObject } from '../../cluster/types.ts';
import { retryOnConflict } from './cas.ts';
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
  place: Place,
  service: string,
  environment: string,
  change: (head: HistoryHead) => { head: HistoryHead; result: T },
): Promise<T> {
  return retryOnConflict(`the history of ${service} in ${environment}`, async () => {
    const live: KObject | undefined = await place.get('v1', 'ConfigMap', historyName(service, environment));
    const head = decodeHistory(live) ?? {
      nextId: (await largestStoredId(place, service, environment)) + 1,
      kinds: [],
    };
    const next = change(head);
    const obj = historyConfigMap(service, environment, next.head, live);
    if (live) await place.replace(obj);
    else await place.create(obj);
    return next.result;
  });
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/** Takes the next id of the pair, recording the kinds its release applies. */
export function allocateId(
  place: Place,
  service: string,
  environment: string,
  kinds: readonly string[],
): Promise<number> {
  return updateHead(place, service, environment, (h) => ({
    head: { nextId: h.nextId + 1, kinds: union(h.kinds, kinds) },
    result: h.nextId,
  }));
}

/** After an id was given from outside (an import): later ids are larger than `id`. */
export function advancePast(
  place: Place,
  service: string,
  environment: string,
  id: number,
  kinds: readonly string[],
): Promise<void> {
  return updateHead(place, service, environment, (h) => ({
    head: { nextId: Math.max(h.nextId, id + 1), kinds: union(h.kinds, kinds) },
    result: undefined,
  }));
}
