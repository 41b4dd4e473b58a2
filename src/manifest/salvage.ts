// The valid part of a manifest that failed its schema: every value a schema problem points at is
// left out (an unknown key, a mistyped value, an entry missing a required key), until what is
// left passes. `ferry validate` checks that part too, so a bad cron, time zone or `${verison}`
// shows up in the same round as the type errors instead of after they are fixed.
import type { z } from 'zod';

type Seg = PropertyKey;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Removes the value at `path` (or, when it is missing, the entry holding it). False when only the root is left. */
function removeAt(root: unknown, path: readonly Seg[]): boolean {
  for (let end = path.length; end > 0; end--) {
    let parent: unknown = root;
    for (const seg of path.slice(0, end - 1)) parent = isObject(parent) ? parent[seg as string] : undefined;
    const key = path[end - 1]!;
    if (!isObject(parent) || !(String(key) in parent)) continue; // missing: remove the entry above
    if (Array.isArray(parent)) parent[Number(key)] = REMOVED;
    else Reflect.deleteProperty(parent, key);
    return true;
  }
  return false;
}

const REMOVED = Symbol('removed');

function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== REMOVED).map(compact);
  if (isObject(v)) for (const k of Object.keys(v)) v[k] = compact(v[k]);
  return v;
}

/** The largest valid part found (the schema's output), or undefined when nothing valid is left. */
export function salvage<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  let v: unknown = structuredClone(value);
  for (let round = 0; round < 8; round++) {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) if (!removeAt(v, [...issue.path, k])) return undefined;
      } else if (!removeAt(v, issue.path)) return undefined;
    }
    v = compact(v);
  }
  return undefined;
}
