// A cache of parsed YAML values keyed by the file's content: a 500-service monorepo re-parses
// 500 unchanged manifests on every command, and the YAML parse (positions kept for located
// errors) is most of what `ferry render` and `ferry status` spend on such a repository
// (docs/benchmarks.md). A hit answers the value the parser gave for the same text; positions are
// parsed again only when something asks where a key is (an error or a warning in that file).
// Exact by construction: only a clean parse whose value survives a JSON round trip unchanged is
// kept (no -0, Infinity or NaN), each entry is one file written atomically, and a damaged or
// unreadable entry is a miss. Off unless an edge sets a directory (the CLI and the server do:
// FERRY_CACHE_DIR, default ~/.cache/ferry/manifests; FERRY_CACHE_DIR=off turns it off).
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';

/** bump when what a parse produces changes (parser options, the yaml library) */
const FORMAT = 'ferry-parse-1';
/** entries kept; beyond it the oldest are removed (checked on one miss in PRUNE_EVERY) */
const MAX_ENTRIES = 20_000;
const PRUNE_EVERY = 500;

let dir: string | undefined;
let writes = 0;

/** Where entries live; undefined turns the cache off. */
export function setParseCacheDir(d: string | undefined): void {
  dir = d;
}

/** The cache directory from the environment, as the CLI and the server use it. */
export function parseCacheDirFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = env.FERRY_CACHE_DIR;
  if (v === 'off' || v === '') return undefined;
  if (v) return v;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'ferry', 'manifests') : undefined;
}

function entryPath(d: string, text: string): string {
  return join(d, `${createHash('sha256').update(FORMAT).update('\0').update(text).digest('hex')}.json`);
}

/** The cached value of `text`, or undefined on a miss (no cache, no entry, a damaged entry). */
export function cachedValue(text: string): { value: unknown } | undefined {
  if (!dir) return undefined;
  try {
    const entry = JSON.parse(readFileSync(entryPath(dir, text), 'utf8')) as { value?: unknown };
    return 'value' in entry ? { value: entry.value } : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `value` as the parse of `text`, when JSON holds it exactly. Never fails the command. */
export function keepValue(text: string, value: unknown): void {
  if (!dir) return;
  const json = JSON.stringify({ value });
  if (!isDeepStrictEqual((JSON.parse(json) as { value: unknown }).value, value)) return;
  const d = dir;
  try {
    // only this user reads them: a manifest's env values are the repository's, not the world's
    mkdirSync(d, { recursive: true, mode: 0o700 });
    const path = entryPath(d, text);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, json, { mode: 0o600 });
    renameSync(tmp, path);
    if (++writes % PRUNE_EVERY === 0) prune(d);
  } catch {
    // a read-only or full disk: the next run parses again
  }
}

function prune(d: string): void {
  const names = readdirSync(d).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names
    .map((n) => {
      try {
        return { n, t: statSync(join(d, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    })
    .sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES))
    try {
      unlinkSync(join(d, n));
    } catch {
      // removed by another process
    }
}
