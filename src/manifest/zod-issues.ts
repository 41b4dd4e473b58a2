// zod issues → ferry Issues: a key path, what was expected (in words a person wrote), the
// location of the offending node, and "did you mean" for misspelled keys and enum values.
import type { z } from 'zod';
import type { Issue } from '../errors.ts';
import { formatPath, type KeyPath, type Locate } from './locate.ts';
import { closest } from './suggest.ts';

type ZodIssue = z.core.$ZodIssue;
type Seg = string | number;

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  options?: readonly unknown[];
  valueType?: unknown;
  element?: unknown;
  in?: unknown;
}

function defOf(schema: unknown): Def | undefined {
  if (schema === null || typeof schema !== 'object' || !('_zod' in schema)) return undefined;
  const zod = (schema as { _zod: { def: Def } })._zod;
  return zod.def;
}

/** The concrete schemas that could hold the value at `path` (unions flattened, wrappers removed). */
export function schemasAt(schema: unknown, path: readonly Seg[]): unknown[] {
  const out: unknown[] = [];
  const visit = (s: unknown, rest: readonly Seg[], depth: number): void => {
    const def = defOf(s);
    if (!def || depth > 50) return;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
      case 'nonoptional':
        return visit(def.innerType, rest, depth + 1);
      case 'pipe':
        return visit(def.in, rest, depth + 1);
      case 'union':
        for (const o of def.options ?? []) visit(o, rest, depth + 1);
        return;
    }
    if (rest.length === 0) {
      out.push(s);
      return;
    }
    if (def.type === 'object') visit(def.shape?.[String(rest[0])], rest.slice(1), depth + 1);
    else if (def.type === 'record') visit(def.valueType, rest.slice(1), depth + 1);
    else if (def.type === 'array') visit(def.element, rest.slice(1), depth + 1);
  };
  visit(schema, path, 0);
  return out;
}

/** A rewrite of a mistyped scalar that the schema accepts: 70 → "70%", 512 → "512Mi", 8080 → "8080". */
function acceptedRewrite(schema: unknown, path: readonly Seg[], value: unknown): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const leaves = schemasAt(schema, path);
  const accepts = (c: string): boolean =>
    leaves.some((leaf) => {
      const parse = (leaf as { safeParse?: (v: unknown) => { success: boolean } }).safeParse;
      return typeof parse === 'function' && parse.call(leaf, c).success;
    });
  // a free-form string takes the value as is; a constrained one (a size, a duration, a
  // percentage) most likely lacks its unit
  const free = accepts('\u0000 any text');
  const plain = String(value);
  const withUnit = [`${value}%`, `${value}Mi`, `${value}s`];
  for (const c of free ? [plain] : [...withUnit, plain]) if (c !== value && accepts(c)) return c;
  return undefined;
}

/** The keys an object schema allows at `path` (all object branches of unions, unwrapped). */
export function knownKeys(schema: unknown, path: readonly Seg[]): string[] {
  const out = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s);
    if (def?.type === 'object') for (const k of Object.keys(def.shape ?? {})) out.add(k);
  }
  return [...out].sort();
}

function valueAt(data: unknown, path: readonly Seg[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
  null: 'null',
};

function expectedWord(e: string): string {
  return EXPECTED[e] ?? e;
}

/** A fix for the usual type slips: quoted numbers, yes/no for booleans, unquoted numeric strings. */
function typeHint(expected: readonly string[], value: unknown): string | undefined {
  if (expected.includes('number') && typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
    return 'remove the quotes';
  if (expected.includes('boolean') && typeof value === 'string') {
    if (/^(yes|on|y)$/i.test(value)) return 'write true';
    if (/^(no|off|n)$/i.test(value)) return 'write false';
  }
  if (expected.includes('array') && typeof value === 'string') return `make it a list: ['${value}']`;
  return undefined;
}

/** zod's own messages start with "Invalid" / "Too"; ours (in schema.ts) say what is expected. */
function ownMessage(message: string): string | undefined {
  return /^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(message) ? undefined : message;
}

function numberBound(min: boolean, bound: unknown, inclusive: boolean | undefined): string {
  const b = String(bound);
  if (min) return inclusive === false ? `more than ${b}` : `at least ${b}`;
  return inclusive === false ? `less than ${b}` : `at most ${b}`;
}

/** Which union branch to explain: the one that got furthest (not a type mismatch at its root). */
function bestBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | undefined {
  // a key no branch knows: that is the problem, not the keys each branch misses
  const unknownIn = (b: readonly ZodIssue[]): string[] =>
    b.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : []));
  const first = branches[0];
  if (first && branches.length > 1) {
    const common = unknownIn(first).filter((k) => branches.every((b) => unknownIn(b).includes(k)));
    if (common.length > 0) {
      return [
        { code: 'unrecognized_keys', keys: common, path: [], message: '', input: undefined } as ZodIssue,
      ];
    }
  }
  let best: readonly ZodIssue[] | undefined;
  let bestScore = Infinity;
  for (const b of branches) {
    const rootTypeMismatch = b.some((i) => i.code === 'invalid_type' && i.path.length === 0);
    if (rootTypeMismatch) continue;
    const score = b.length;
    if (score < bestScore) {
      best = b;
      bestScore = score;
    }
  }
  return best;
}

export interface MapContext {
  schema: unknown;
  data: unknown;
  locate: Locate;
  /** where a key unknown here may belong instead: ferry.yaml ↔ ferry.platform.yaml */
  elsewhere?: (key: string, path: readonly Seg[]) => string | undefined;
}

export function zodIssuesToIssues(
  issues: readonly ZodIssue[],
  ctx: MapContext,
  base: readonly Seg[] = [],
): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.filter((p): p is Seg => typeof p !== 'symbol')];
    const here = (at: 'value' | 'key' = 'value', p: KeyPath = path): Issue['loc'] => ctx.locate(p, at);
    const value = valueAt(ctx.data, path);
    const push = (
      message: string,
      hint?: string,
      p: readonly Seg[] = path,
      at: 'value' | 'key' = 'value',
    ) => {
      const loc = here(at, p);
      out.push({ path: formatPath(p), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
    };
    switch (issue.code) {
      case 'invalid_type': {
        const expected = expectedWord(issue.expected);
        if (value === undefined) {
          const key = path[path.length - 1];
          push(`required key "${String(key)}" is missing: expected ${expected}`);
        } else {
          const rewrite = acceptedRewrite(ctx.schema, path, value);
          const hint = rewrite !== undefined ? `write "${rewrite}"` : typeHint([issue.expected], value);
          push(`expected ${expected}, got ${describeValue(value)}`, hint);
        }
        break;
      }
      case 'unrecognized_keys': {
        const known = knownKeys(ctx.schema, path);
        for (const key of issue.keys) {
          if (known.includes(key)) {
            // valid in another branch of a union (e.g. notify: slack or webhook, not both)
            push(
              `"${key}" cannot be combined with the other keys here`,
              `give one of: ${known.join(', ')}`,
              [...path, key],
              'key',
            );
            continue;
          }
          const c = closest(key, known);
          const other =
            c === undefined || c.toLowerCase() !== key.toLowerCase() ? ctx.elsewhere?.(key, path) : undefined;
          push(
            `unknown key "${key}"`,
            other ?? (c !== undefined ? `did you mean "${c}"?` : `known keys: ${known.join(', ')}`),
            [...path, key],
            'key',
          );
        }
        break;
      }
      case 'invalid_union': {
        const branch = bestBranch(issue.errors);
        if (branch) {
          out.push(...zodIssuesToIssues(branch, ctx, path));
        } else {
          const expected = [
            ...new Set(
              issue.errors.flatMap((b) =>
                b.filter((i) => i.code === 'invalid_type').map((i) => expectedWord(i.expected)),
              ),
            ),
          ];
          const kinds = issue.errors.flatMap((b) =>
            b.filter((i) => i.code === 'invalid_type').map((i) => i.expected),
          );
          push(
            `expected ${expected.join(' or ') || 'another shape'}, got ${describeValue(value)}`,
            ((r) => (r !== undefined ? `write "${r}"` : typeHint(kinds, value)))(
              acceptedRewrite(ctx.schema, path, value),
            ),
          );
        }
        break;
      }
      case 'invalid_key': {
        const key = path[path.length - 1];
        const inner = issue.issues[0];
        const why = inner ? (ownMessage(inner.message) ?? inner.message) : 'another key';
        push(`invalid key ${JSON.stringify(key)}: expected ${why}`, undefined, path, 'key');
        break;
      }
      case 'invalid_element': {
        out.push(...zodIssuesToIssues(issue.issues, ctx, path));
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map((v) => String(v));
        const c = typeof value === 'string' ? closest(value, allowed) : undefined;
        push(
          `expected one of ${allowed.join(', ')}, got ${describeValue(value)}`,
          c !== undefined ? `did you mean "${c}"?` : undefined,
        );
        break;
      }
      case 'too_small':
      case 'too_big': {
        const min = issue.code === 'too_small';
        const bound = min ? issue.minimum : issue.maximum;
        const own = ownMessage(issue.message);
        if (own) push(`expected ${own}, got ${describeValue(value)}`);
        else if (issue.origin === 'array' || issue.origin === 'set')
          push(
            `expected ${numberBound(min, bound, issue.inclusive)} item(s), got ${Array.isArray(value) ? value.length : 0}`,
          );
        else if (issue.origin === 'string')
          push(
            min && Number(bound) === 1
              ? 'expected a non-empty string'
              : `expected ${numberBound(min, bound, issue.inclusive)} characters, got ${describeValue(value)}`,
          );
        else
          push(`expected a number ${numberBound(min, bound, issue.inclusive)}, got ${describeValue(value)}`);
        break;
      }
      case 'invalid_format': {
        const own = ownMessage(issue.message);
        const what =
          own ??
          (issue.format === 'starts_with' && 'prefix' in issue
            ? `a string starting with "${String(issue.prefix)}"`
            : issue.format);
        push(`expected ${what}, got ${describeValue(value)}`);
        break;
      }
      case 'not_multiple_of':
        push(`expected a multiple of ${String(issue.divisor)}, got ${describeValue(value)}`);
        break;
      default:
        push(issue.message);
    }
  }
  return out;
}
