// Drift: fields of the objects ferry owns that another manager added or changed by hand
// (`kubectl set env`, `kubectl label`, `kubectl edit`). Server-side apply only manages ferry's
// own fields, so these survive every deploy unless ferry looks: this module reads them from the
// live object's managedFields (a field set another manager owns and `ferry` does not), names
// them as paths people read (`spec.template.spec.containers[name=web].env[name=HACK]`), and
// turns them into a JSON Patch that removes exactly those fields (with a `test` before every
// list-item removal, so a list that changed meanwhile is never cut at the wrong index).
// What the control plane itself writes (status, the Deployment revision annotation, HPA-managed
// replicas through the scale subresource…) is not drift; users add their own exceptions.
import type { JsonPatchOp, KObject } from '../cluster/types.ts';

/** A managedFields entry as the API server returns it. */
interface ManagedEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
}

type FieldSet = { [key: string]: FieldSet };

/** One step of a field path: an object field, a list item by its merge key, a set value, an index. */
export type Segment = { f: string } | { k: Record<string, unknown> } | { v: unknown } | { i: number };

export interface DriftField {
  /** who changed it: the field manager (e.g. kubectl-set, kubectl-edit) */
  manager: string;
  path: readonly Segment[];
  /** e.g. spec.template.spec.containers[name=web].env[name=HACK] */
  display: string;
}

/** Managers of the control plane: what they write is theirs by design, never drift. */
const CONTROL_PLANE = new Set(['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-apiserver']);
export const FERRY_MANAGER = 'ferry';

function parseKey(key: string): Segment | undefined {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  try {
    if (kind === 'f:') return { f: rest };
    if (kind === 'k:') return { k: JSON.parse(rest) as Record<string, unknown> };
    if (kind === 'v:') return { v: JSON.parse(rest) as unknown };
    if (kind === 'i:') return { i: Number(rest) };
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The fields a field set owns, as paths: leaves, and list items the set holds whole ("." on an
 * item: the manager added the item). An object field is never owned whole by its "." marker —
 * that only says the manager set the field's existence; its sub-fields are listed one by one.
 */
export function ownedPaths(set: FieldSet, prefix: readonly Segment[] = []): Segment[][] {
  const keys = Object.keys(set).filter((k) => k !== '.');
  const last = prefix.at(-1);
  const item = last !== undefined && !('f' in last);
  if (prefix.length && (keys.length === 0 || (item && '.' in set))) return [[...prefix]];
  return keys.flatMap((key) => {
    const seg = parseKey(key);
    return seg ? ownedPaths(set[key] ?? {}, [...prefix, seg]) : [];
  });
}

function segKey(s: Segment): string {
  if ('f' in s) return `f:${s.f}`;
  if ('k' in s)
    return `k:${JSON.stringify(Object.fromEntries(Object.entries(s.k).sort(([a], [b]) => (a < b ? -1 : 1))))}`;
  if ('v' in s) return `v:${JSON.stringify(s.v)}`;
  return `i:${s.i}`;
}

function pathKey(p: readonly Segment[]): string {
  return p.map(segKey).join('/');
}

export function displayPath(p: readonly Segment[]): string {
  let out = '';
  for (const s of p) {
    if ('f' in s)
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.f) ? `${out ? '.' : ''}${s.f}` : `[${JSON.stringify(s.f)}]`;
    else if ('k' in s)
      out += `[${Object.entries(s.k)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(',')}]`;
    else if ('v' in s) out += `[${JSON.stringify(s.v)}]`;
    else out += `[${s.i}]`;
  }
  return out;
}

/** A pattern of ignored fields: `<Kind|*>:<display path prefix>`, e.g. `Deployment:spec.replicas`. */
export function ignored(kind: string, display: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const i = p.indexOf(':');
    const k = i < 0 ? '*' : p.slice(0, i);
    const path = i < 0 ? p : p.slice(i + 1);
    if (k !== '*' && k !== kind) return false;
    return display === path || display.startsWith(`${path}.`) || display.startsWith(`${path}[`);
  });
}

/** A field ferry's own set lists too (shared ownership: the same value applied by both): not drift. */
function ownedByFerry(p: readonly Segment[], ferry: ReadonlySet<string>): boolean {
  return ferry.has(pathKey(p));
}

/** What other managers own on `live` that ferry does not, minus ignored patterns. */
export function findDrift(live: KObject, ignore: readonly string[] = []): DriftField[] {
  const entries = (live.metadata.managedFields ?? []) as ManagedEntry[];
  const ferry = new Set<string>();
  for (const e of entries) {
    if (e.manager !== FERRY_MANAGER || !e.fieldsV1) continue;
    for (const p of allPaths(e.fieldsV1)) ferry.add(pathKey(p));
  }
  const out: DriftField[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const manager = e.manager ?? '';
    if (manager === FERRY_MANAGER || CONTROL_PLANE.has(manager)) continue;
    if (e.subresource === 'status' || e.subresource === 'scale') continue;
    if (!e.fieldsV1) continue;
    for (const p of ownedPaths(e.fieldsV1)) {
      const display = displayPath(p);
      if (ownedByFerry(p, ferry) || ignored(live.kind, display, ignore)) continue;
      // metadata a controller keeps (the revision a Deployment's controller writes is under its own name)
      if (display === 'metadata.annotations' || display === 'metadata.labels') continue;
      const k = pathKey(p);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ manager, path: p, display });
    }
  }
  return out.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/** Every node of a field set (not only the top-most), for ferry's own ownership. */
function allPaths(set: FieldSet, prefix: readonly Segment[] = []): Segment[][] {
  const out: Segment[][] = [];
  for (const key of Object.keys(set)) {
    if (key === '.') continue;
    const seg = parseKey(key);
    if (!seg) continue;
    const p = [...prefix, seg];
    out.push(p, ...allPaths(set[key] ?? {}, p));
  }
  return out;
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function matches(item: unknown, key: Record<string, unknown>): boolean {
  if (!item || typeof item !== 'object') return false;
  const o = item as Record<string, unknown>;
  return Object.entries(key).every(([k, v]) => JSON.stringify(o[k]) === JSON.stringify(v));
}

/** The JSON pointer of `path` in `obj` and the test that pins list items, or undefined when absent. */
function locate(
  obj: unknown,
  path: readonly Segment[],
): { pointer: string; tests: JsonPatchOp[] } | undefined {
  let node: unknown = obj;
  let pointer = '';
  const tests: JsonPatchOp[] = [];
  for (const s of path) {
    if ('f' in s) {
      if (!node || typeof node !== 'object' || Array.isArray(node) || !(s.f in node)) return undefined;
      node = (node as Record<string, unknown>)[s.f];
      pointer += `/${escape(s.f)}`;
      continue;
    }
    if (!Array.isArray(node)) return undefined;
    const list = node as unknown[];
    const i =
      'i' in s
        ? s.i
        : 'k' in s
          ? list.findIndex((x) => matches(x, s.k))
          : list.findIndex((x) => JSON.stringify(x) === JSON.stringify(s.v));
    if (i < 0 || i >= list.length) return undefined;
    pointer += `/${i}`;
    node = list[i];
    if ('k' in s)
      for (const [k, v] of Object.entries(s.k))
        tests.push({ op: 'test', path: `${pointer}/${escape(k)}`, value: v });
    else if ('v' in s) tests.push({ op: 'test', path: pointer, value: s.v });
  }
  return { pointer, tests };
}

/** Compares JSON pointers so that, within one list, higher indices come first (removal order). */
function removalOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const nx = Number(x[i]);
    const ny = Number(y[i]);
    if (Number.isInteger(nx) && Number.isInteger(ny)) return ny - nx;
    return (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
  }
  return y.length - x.length;
}

/** The JSON Patch removing `drift` from `live`, or [] when none of it is there any more. */
export function removalPatch(live: KObject, drift: readonly DriftField[]): JsonPatchOp[] {
  const found = drift
    .map((d) => locate(live, d.path))
    .filter((x): x is { pointer: string; tests: JsonPatchOp[] } => x !== undefined)
    .sort((a, b) => removalOrder(a.pointer, b.pointer));
  return found.flatMap((f) => [...f.tests, { op: 'remove' as const, path: f.pointer }]);
}

/** `obj` with a removal patch applied locally (what the API server would return after it). */
export function applyRemovals(obj: KObject, ops: readonly JsonPatchOp[]): KObject {
  const out = structuredClone(obj);
  for (const op of ops) {
    if (op.op !== 'remove') continue;
    const parts = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let node: unknown = out;
    for (const p of parts)
      node = Array.isArray(node) ? node[Number(p)] : (node as Record<string, unknown> | undefined)?.[p];
    if (last === undefined || !node || typeof node !== 'object') continue;
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else Reflect.deleteProperty(node, last);
  }
  return out;
}
