// A small YAML writer for JSON-shaped data (objects, arrays, strings, numbers, booleans, null) in
// block style, with keys in code-point order. Strings are written plain only when every YAML 1.1
// and 1.2 reader (kubectl, Helm, the `yaml` package) reads them back as the same string; otherwise
// single-quoted, or double-quoted with escapes when they hold line breaks or control characters.
// Why not the `yaml` package's stringify: it builds a document tree first, and a cold call cost
// 30–60 ms of `ferry render`'s start-up budget; this writes the same data in ~1 ms. The property
// tests in yaml.test.ts parse everything it writes back with `yaml` in both schema versions.

/** Words YAML 1.1 or 1.2 reads as booleans or null. */
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
/** Exponent-only floats some YAML 1.1 readers accept ("e9", "E+5"). */
const BARE_EXPONENT = /^[-+]?[0-9_.]*[eE][-+]?[0-9_]+$/;
/** Characters that may start a plain scalar here (no indicator, no sign, no dot). */
const PLAIN_START = /^[A-Za-z_/$(]/;
/** Every character of a plain scalar (conservative: no indicators, no quotes, no "#"). */
const PLAIN_BODY = /^[A-Za-z0-9 _./=+,:@%()$*~-]*$/;
/** Digits first, then a unit-like suffix ("500m", "512Mi", "3d"): never a number or a date. */
const DIGITS_THEN_WORD = /^[0-9][0-9.]*[ac-dfgh-nq-wyzA-DFGH-NQ-WYZ][-A-Za-z0-9.]*$/;
/** Characters that need escapes (C0/C1 controls, DEL, YAML 1.1 line breaks, BOM). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function plainSafe(s: string): boolean {
  if (s === '' || RESERVED.test(s) || BARE_EXPONENT.test(s)) return false;
  if (s.startsWith(' ') || s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #'))
    return false;
  if (!PLAIN_BODY.test(s)) return false;
  if (PLAIN_START.test(s)) return true;
  if (/^-[A-Za-z]/.test(s)) return true; // "-c", "--flag"
  return DIGITS_THEN_WORD.test(s) && !s.includes(':');
}

function doubleQuoted(s: string): string {
  // JSON's escapes (\" \\ \b \f \n \r \t \uXXXX) are all YAML double-quoted escapes too
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function scalarString(s: string): string {
  if (plainSafe(s)) return s;
  if (!NEEDS_ESCAPE.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return scalarString(v);
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`cannot write ${v} as YAML`);
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (v !== null && typeof v === 'object') {
    for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return undefined;
    return '{}';
  }
  return undefined;
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
}

/** Writes `v` (a collection) at `indent`; the first line's indentation is the caller's. */
function block(v: unknown, indent: string, out: string[], firstInline: boolean): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const lead = i === 0 && firstInline ? '' : indent;
      const s = scalar(item) ?? isEmptyCollection(item);
      if (s !== undefined) out.push(`${lead}- ${s}\n`);
      else {
        out.push(`${lead}- `);
        block(item, `${indent}  `, out, true);
      }
    });
    return;
  }
  const o = v as Record<string, unknown>;
  sortedKeys(o).forEach((k, i) => {
    const lead = i === 0 && firstInline ? '' : indent;
    const key = scalarString(k);
    const value = o[k];
    const s = scalar(value) ?? isEmptyCollection(value);
    if (s !== undefined) out.push(`${lead}${key}: ${s}\n`);
    else if (Array.isArray(value)) {
      out.push(`${lead}${key}:\n`);
      block(value, `${indent}  `, out, false);
    } else {
      out.push(`${lead}${key}:\n`);
      block(value, `${indent}  `, out, false);
    }
  });
}

/** One YAML document (no "---"), ending with a newline. */
export function yamlDocument(value: unknown): string {
  const s = scalar(value) ?? isEmptyCollection(value);
  if (s !== undefined) return `${s}\n`;
  const out: string[] = [];
  block(value, '', out, false);
  return out.join('');
}
