// Several compose files merged in order (`-f a.yaml -f b.yaml`), following the compose
// specification's merge rules: mappings merge key by key; `environment`, `labels`,
// `deploy.labels` and friends are normalised to mappings first; `command`, `entrypoint` and
// `healthcheck.test` replace; `ports` append; `volumes`, `secrets` and `configs` merge by target.
import { isRecord } from '../source.ts';

const REPLACE = new Set(['command', 'entrypoint', 'test', 'dns', 'dns_search', 'env_file']);
const BY_TARGET = new Set(['volumes', 'secrets', 'configs']);

/** `["A=1", "B"]` or `{A: 1}` → `{A: "1", B: null}` (null = take it from the environment). */
export function listToMap(v: unknown): Record<string, unknown> | unknown {
  if (!Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const item of v) {
    if (typeof item !== 'string') continue;
    const eq = item.indexOf('=');
    if (eq < 0) out[item] = null;
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function normaliseService(svc: unknown): unknown {
  if (!isRecord(svc)) return svc;
  const out: Record<string, unknown> = { ...svc };
  for (const k of ['environment', 'labels', 'annotations', 'sysctls', 'extra_hosts']) {
    if (k in out && k !== 'extra_hosts') out[k] = listToMap(out[k]);
  }
  if (isRecord(out.deploy) && 'labels' in out.deploy) {
    out.deploy = { ...out.deploy, labels: listToMap(out.deploy.labels) };
  }
  return out;
}

export function normaliseProject(doc: unknown): unknown {
  if (!isRecord(doc) || !isRecord(doc.services)) return doc;
  const services: Record<string, unknown> = {};
  for (const [name, svc] of Object.entries(doc.services)) services[name] = normaliseService(svc);
  return { ...doc, services };
}

function targetOf(item: unknown): string {
  if (typeof item === 'string') {
    const parts = item.split(':');
    return parts.length >= 2 ? (parts[1] ?? item) : item;
  }
  if (isRecord(item)) return String(item.target ?? item.source ?? JSON.stringify(item));
  return JSON.stringify(item);
}

function mergeValue(key: string, base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isRecord(base) && isRecord(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = mergeValue(k, base[k], v);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over) && !REPLACE.has(key)) {
    if (BY_TARGET.has(key)) {
      const byTarget = new Map<string, unknown>();
      for (const item of [...base, ...over]) byTarget.set(targetOf(item), item);
      return [...byTarget.values()];
    }
    const seen = new Set(base.map((x) => JSON.stringify(x)));
    return [...base, ...over.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  return over;
}

/** Merges parsed compose documents in order; later files win. */
export function mergeProjects(docs: readonly unknown[]): Record<string, unknown> {
  let out: unknown = {};
  for (const d of docs) out = mergeValue('', out, normaliseProject(d));
  return isRecord(out) ? out : {};
}
