// Kubernetes strategic merge patch, for the fields ferry renders: maps merge key by key (null
// deletes a key), lists of objects with a Kubernetes merge key merge item by item (containers
// and init containers by name, env by name, volumes by name, volume mounts by mountPath, container
// ports by containerPort, Service ports by port, …), every other list is replaced — as the API
// server's own strategic merge does. Directives: `$patch: replace` (a map, or a list item: replace
// the whole map or list), `$patch: delete` (a map: delete it; a list item: delete the item with
// that merge key). No library does this outside Go; this covers the API's merge keys of the
// workload, Service and Ingress fields (docs/rendering.md lists them).
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonMap = { [k: string]: Json };

export class PatchShapeError extends Error {}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The merge key of the list at `key`, given the keys above it; undefined = replace the list. */
export function mergeKey(key: string, above: readonly string[]): string | undefined {
  switch (key) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'readinessGates':
      return 'conditionType';
    case 'ports':
      return CONTAINER_LISTS.has(above.at(-1) ?? '') ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/** The patch value without directives, for where nothing is there to merge into. */
function plain(v: Json): Json {
  if (Array.isArray(v))
    return v
      .filter((x) => !(isMap(x) && x['$patch'] !== undefined && Object.keys(x).length === 1))
      .map(plain);
  if (!isMap(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k, x]) => k !== '$patch' && x !== null)
      .map(([k, x]) => [k, plain(x)]),
  );
}

function mergeList(
  base: Json[],
  patch: Json[],
  key: string,
  keyName: string,
  above: readonly string[],
): Json[] {
  if (patch.some((p) => isMap(p) && p['$patch'] === 'replace')) return plain(patch) as Json[];
  const out = [...base];
  for (const p of patch) {
    if (!isMap(p)) throw new PatchShapeError(`items of ${key} are maps merged by ${keyName}`);
    const id = p[keyName];
    if (id === undefined) throw new PatchShapeError(`an item of ${key} needs its merge key ${keyName}`);
    const i = out.findIndex((b) => isMap(b) && b[keyName] === id);
    if (p['$patch'] === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = mergeMap(out[i] as JsonMap, p, [...above, key]);
    else out.push(plain(p));
  }
  return out;
}

function mergeMap(base: JsonMap, patch: JsonMap, above: readonly string[]): Json {
  if (patch['$patch'] === 'replace') return plain(patch);
  const out = new Map<string, Json>(Object.entries(base));
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    const cur = out.get(k);
    const listKey = mergeKey(k, above);
    if (v === null || (isMap(v) && v['$patch'] === 'delete')) out.delete(k);
    else if (isMap(v) && isMap(cur)) out.set(k, mergeMap(cur, v, [...above, k]));
    else if (Array.isArray(v) && Array.isArray(cur) && listKey)
      out.set(k, mergeList(cur, v, k, listKey, above));
    else out.set(k, plain(v));
  }
  return Object.fromEntries(out);
}

/** `target` with the strategic merge `patch` applied (a new value; neither input changes). */
export function strategicMerge<T>(target: T, patch: Record<string, unknown>): T {
  return mergeMap(JSON.parse(JSON.stringify(target)) as JsonMap, patch as JsonMap, []) as T;
}
