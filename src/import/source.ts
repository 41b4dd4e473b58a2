// Reads an input file (YAML or JSON — JSON is YAML 1.2) keeping positions, so every report entry
// and every error can point at file:line:col. Merge keys (`<<: *anchor`) are resolved here.
import { readFile } from 'node:fs/promises';
import {
  LineCounter,
  parseAllDocuments,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
} from 'yaml';
import { FerryError, InvalidInputError, type Issue, type Location } from '../errors.ts';

export type KeyPath = readonly (string | number)[];

/** One parsed document of one file. */
export interface SourceDoc {
  file: string;
  /** 0-based index of the document in a multi-document YAML file */
  index: number;
  value: unknown;
  locate: (path: KeyPath) => Location | undefined;
}

export interface SourceFile {
  file: string;
  text: string;
  docs: SourceDoc[];
}

export async function readSourceFile(file: string): Promise<SourceFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new FerryError(
      code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_READ',
      code === 'ENOENT'
        ? `${file}: no such file`
        : code === 'EISDIR'
          ? `${file}: is a folder, not a file`
          : `${file}: cannot read it (${code ?? (cause as Error).message})`,
      { hint: 'check the path', cause },
    );
  }
  return parseSource(file, text);
}

/** JSON by name (.json) or by look (starts with { or [ and is not named .yaml/.yml). */
function looksJson(file: string, text: string): boolean {
  if (/\.json$/i.test(file)) return true;
  return !/\.ya?ml$/i.test(file) && /^\s*[[{]/.test(text);
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * A JSON file that JSON.parse rejects, as an issue at file:line:col with JSON's own message (the
 * YAML parser would accept some broken JSON, or blame something else). Undefined when it parses.
 */
function jsonIssue(file: string, text: string): Issue | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const raw = (e as Error).message;
    const at = /at position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(raw) ? text.length : undefined;
    const message = raw.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    return {
      path: '',
      message: `invalid JSON: ${message}`,
      ...(offset !== undefined ? { loc: { file, ...position(text, offset) } } : {}),
      hint: 'fix the syntax; the file must be valid JSON',
    };
  }
}

/** Parses YAML/JSON text; a syntax error becomes an InvalidInputError located at file:line:col. */
export function parseSource(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    merge: true,
    prettyErrors: false,
    uniqueKeys: false,
  });
  const list: Document.Parsed[] = Array.isArray(documents) ? documents : [documents];
  const issues: Issue[] = [];
  const json = looksJson(file, text) && text.trim() !== '' ? jsonIssue(file, text) : undefined;
  for (const d of list) {
    for (const e of d.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      issues.push({
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
        loc: { file, line: pos.line, col: pos.col },
        hint: 'fix the syntax; the file must be valid YAML or JSON',
      });
    }
  }
  if (json) {
    // where JSON.parse gives no position, YAML's first error (if any) locates it
    const loc = json.loc ?? issues[0]?.loc ?? { file, line: 1, col: 1 };
    throw new InvalidInputError([{ ...json, loc }], `${file} is not valid JSON`);
  }
  if (issues.length > 0) throw new InvalidInputError(issues, `${file} is malformed`);
  const docs = list
    .map((d, index): SourceDoc => {
      // One walk over the syntax tree: key path → position (built on first use).
      let byPath: Map<string, Location> | undefined;
      const build = (): Map<string, Location> => {
        const out = new Map<string, Location>();
        const at = (n: Node): Location | undefined => {
          if (!n.range) return undefined;
          const pos = lineCounter.linePos(n.range[0]);
          return { file, line: pos.line, col: pos.col };
        };
        const walk = (n: unknown, path: (string | number)[]): void => {
          if (!isNode(n)) return;
          const loc = at(n);
          if (loc) out.set(JSON.stringify(path), loc);
          if (isMap(n)) {
            for (const item of n.items) {
              if (!isPair(item)) continue;
              const k = isScalar(item.key) ? item.key.value : item.key;
              if (typeof k !== 'string' && typeof k !== 'number') continue;
              const keyPath = [...path, String(k)];
              if (isNode(item.value)) walk(item.value, keyPath);
              else if (isNode(item.key)) {
                const kl = at(item.key);
                if (kl) out.set(JSON.stringify(keyPath), kl);
              }
            }
          } else if (isSeq(n)) n.items.forEach((it, i) => walk(it, [...path, i]));
        };
        walk(d.contents, []);
        return out;
      };
      const locate = (path: KeyPath): Location | undefined => {
        byPath ??= build();
        for (let n = path.length; n >= 0; n--) {
          const hit = byPath.get(JSON.stringify(path.slice(0, n)));
          if (hit) return hit;
        }
        return undefined;
      };
      return { file, index, value: d.toJS({ maxAliasCount: 10_000 }) as unknown, locate };
    })
    .filter((d) => d.value !== null && d.value !== undefined);
  return { file, text, docs };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function formatPath(path: KeyPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][-\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
