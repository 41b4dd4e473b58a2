// ferry.yaml / ferry.platform.yaml text → a validated manifest, or an InvalidInputError with
// every problem of the file at once, each located (file:line:col) with its key path.
import { isAlias, isCollection, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { InvalidInputError, type Issue } from '../errors.ts';
import { makeLocate, type Locate } from './locate.ts';
import { cachedValue, keepValue } from './parse-cache.ts';
import {
  platformSchema,
  serviceManifestSchema,
  type PlatformManifest,
  type ServiceManifest,
} from './schema.ts';
import { knownKeys, zodIssuesToIssues, type MapContext } from './zod-issues.ts';

export interface ParsedYaml {
  /** the plain value, undefined when the file has syntax errors */
  value: unknown;
  locate: Locate;
  issues: Issue[];
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * YAML text → plain value with positions; syntax errors, duplicate keys and bad tags become
 * Issues. With `cached` (ferry's own manifests, never a file that may hold credentials such as
 * the server's configuration), an unchanged text's value comes from the parse cache
 * (parse-cache.ts) and its positions are parsed only when asked for.
 */
export function parseYaml(text: string, file: string, cached = false): ParsedYaml {
  if (!cached) return parseYamlFresh(text, file);
  const hit = cachedValue(text);
  if (hit) {
    let full: ParsedYaml | undefined;
    return {
      value: hit.value,
      issues: [],
      locate: (path, at) => (full ??= parseYamlFresh(text, file)).locate(path, at),
    };
  }
  const parsed = parseYamlFresh(text, file);
  if (parsed.issues.length === 0 && parsed.value !== undefined) keepValue(text, parsed.value);
  return parsed;
}

function parseYamlFresh(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    merge: true, // `<<: *defaults`, as compose files use it
  });
  const locate = makeLocate(doc, lineCounter, file);
  const issues: Issue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const message =
      e.code === 'DUPLICATE_KEY'
        ? 'duplicate key: this key appears earlier in the same map'
        : firstLine(e.message);
    issues.push({
      path: '',
      message,
      loc: { file, line, col },
      hint: e.code === 'DUPLICATE_KEY' ? 'keep one of them' : 'fix the YAML syntax',
    });
  }
  // "? [a, b]: x" — a list or map as a key: nothing in ferry's formats, and JS objects cannot hold it
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      const complex =
        isCollection(key) || (isScalar(key) && typeof key.value === 'object' && key.value !== null);
      if (complex && (isAlias(pair.key) || isCollection(pair.key) || isScalar(pair.key))) {
        const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
        issues.push({
          path: '',
          message: 'a list, map or binary value used as a key',
          loc: { file, line, col },
          hint: 'keys are plain names',
        });
      }
    },
  });
  if (issues.length > 0) return { value: undefined, locate, issues };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    issues.push({
      path: '',
      message: `cannot read the document: ${err instanceof Error ? err.message : String(err)}`,
      loc: { file, line: 1, col: 1 },
      hint: 'simplify anchors and aliases',
    });
  }
  return { value, locate, issues };
}

/** By position, so a file's problems read top to bottom. */
export function sortIssues(issues: Issue[]): Issue[] {
  return issues.sort(
    (a, b) =>
      (a.loc?.file ?? '').localeCompare(b.loc?.file ?? '') ||
      (a.loc?.line ?? 0) - (b.loc?.line ?? 0) ||
      (a.loc?.col ?? 0) - (b.loc?.col ?? 0),
  );
}

export interface ParsedManifest<T> {
  manifest: T;
  locate: Locate;
}

/** A platform setting written in ferry.yaml, or a service field written in the platform file. */
const serviceKeyElsewhere: MapContext['elsewhere'] = (key, path) => {
  if (path.length === 0 && knownKeys(platformSchema, []).includes(key)) {
    return `"${key}" is a platform setting: it belongs in ferry.platform.yaml`;
  }
  if (
    path.length === 2 &&
    path[0] === 'environments' &&
    knownKeys(platformSchema, ['environments', 'x']).includes(key)
  ) {
    return `"${key}" is an environment setting: it belongs in ferry.platform.yaml under environments.${String(path[1])}`;
  }
  return undefined;
};
const platformKeyElsewhere: MapContext['elsewhere'] = (key, path) => {
  const inService = knownKeys(serviceManifestSchema, []).includes(key);
  if (inService && (path.length === 0 || (path.length === 2 && path[0] === 'environments'))) {
    return `"${key}" is a service field: it belongs in the service's ferry.yaml`;
  }
  return undefined;
};

/** YAML text checked against a schema: every problem at once, each located file:line:col. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  text: string,
  file: string,
  what: string,
  elsewhere?: MapContext['elsewhere'],
  cached = false,
): ParsedManifest<T> {
  const { value, locate, issues } = parseYaml(text, file, cached);
  if (issues.length > 0) throw new InvalidInputError(issues, `${file}: ${issues.length} YAML problem(s)`);
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(
      [
        {
          path: '',
          message:
            value === null || value === undefined
              ? `the file is empty: expected ${what}`
              : `expected ${what} (a map of keys), got ${Array.isArray(value) ? 'a list' : typeof value}`,
          loc: locate([]) ?? { file, line: 1, col: 1 },
          hint: 'run `ferry init` for a starter file',
        },
      ],
      `${file}: not a ${what}`,
    );
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const found = sortIssues(
      zodIssuesToIssues(r.error.issues, { schema, data: value, locate, ...(elsewhere ? { elsewhere } : {}) }),
    );
    throw new InvalidInputError(found, `${file}: ${found.length} problem${found.length === 1 ? '' : 's'}`);
  }
  return { manifest: r.data, locate };
}

export function parseServiceManifest(text: string, file: string): ParsedManifest<ServiceManifest> {
  return parseWith(
    serviceManifestSchema,
    text,
    file,
    'a service manifest (ferry.yaml)',
    serviceKeyElsewhere,
    true,
  );
}

export function parsePlatformManifest(text: string, file: string): ParsedManifest<PlatformManifest> {
  return parseWith(
    platformSchema,
    text,
    file,
    'a platform file (ferry.platform.yaml)',
    platformKeyElsewhere,
    true,
  );
}
