// ${VAR} interpolation as the compose specification defines it: $VAR, ${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement}; "$$" is a
// literal "$". Defaults may themselves contain interpolation. Applied to values, never to keys.
import { isRecord, type KeyPath } from '../source.ts';

export interface Unresolved {
  path: KeyPath;
  name: string;
  /** set when ${VAR:?message} / ${VAR?message} named a required variable */
  required?: string;
}

export interface Interpolated {
  value: unknown;
  /** variables that were unset (each became "" or an error) */
  unresolved: Unresolved[];
  /** variables whose values were written in, where (to keep credentials out of ferry.yaml) */
  substituted: { path: KeyPath; name: string }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolates one string; calls `missing` for each unset variable without a default. */
export function interpolateString(
  text: string,
  vars: Readonly<Record<string, string>>,
  missing: (name: string, required?: string) => void,
  used: (name: string) => void = () => {},
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(text, i + 1);
      if (end < 0) {
        out += text.slice(i);
        break;
      }
      out += expandBraced(text.slice(i + 2, end), vars, missing, used);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    const name = m[0];
    const v = vars[name];
    if (v === undefined) missing(name);
    else used(name);
    out += v ?? '';
    i += 1 + name.length;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function expandBraced(
  inner: string,
  vars: Readonly<Record<string, string>>,
  missing: (name: string, required?: string) => void,
  used: (name: string) => void,
): string {
  const m = NAME.exec(inner);
  if (!m) return `\${${inner}}`;
  const name = m[0];
  const rest = inner.slice(name.length);
  const value = vars[name];
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (op === undefined) {
    if (value === undefined) missing(name);
    else used(name);
    return value ?? '';
  }
  const arg = rest.slice(op.length);
  const colon = op.startsWith(':');
  const unset = value === undefined || (colon && value === '');
  switch (op.at(-1)) {
    case '-':
      if (unset) return interpolateString(arg, vars, missing, used);
      used(name);
      return value ?? '';
    case '+':
      return unset ? '' : interpolateString(arg, vars, missing, used);
    default:
      if (unset) {
        missing(name, arg === '' ? `${name} is required` : arg);
        return '';
      }
      used(name);
      return value ?? '';
  }
}

/** Interpolates every string value of a parsed compose tree. */
export function interpolate(value: unknown, vars: Readonly<Record<string, string>>): Interpolated {
  const unresolved: Unresolved[] = [];
  const substituted: Interpolated['substituted'] = [];
  const walk = (v: unknown, path: KeyPath): unknown => {
    if (typeof v === 'string') {
      return interpolateString(
        v,
        vars,
        (name, required) =>
          unresolved.push(required === undefined ? { path, name } : { path, name, required }),
        (name) => substituted.push({ path, name }),
      );
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k.startsWith('x-') ? x : walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, []), unresolved, substituted };
}
