// The `helm` target: one chart per service in Preply's layout — Chart.yaml, templates/ (one file
// per object), values.yaml (the image tag) and values.<env>.yaml per environment holding only what
// differs between environments. Templates are derived from ferry's own Kubernetes render of every
// environment: what all environments share is written literally, what differs is read from values,
// and the version goes through .Values.image.tag — so `helm template -f values.<env>.yaml
// --set-string image.tag=<v>` renders exactly the objects `ferry render --env <env>` does.
import { stringify } from 'yaml';
import type { Workload } from '../../model/types.ts';
import { renderKubernetes, type KubeObject } from '../kubernetes/index.ts';

/** A version that cannot occur in a manifest, so every place the version lands can be found. */
export const VERSION_SENTINEL = '0.0.0-ferry-helm-version-sentinel';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ChartFile {
  path: string;
  content: string;
}

function plain(v: unknown): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function hasSentinel(v: Json | undefined): boolean {
  return JSON.stringify(v ?? null).includes(VERSION_SENTINEL);
}

/** A Go template string literal (JSON string escapes are valid Go escapes). */
function goString(s: string): string {
  return JSON.stringify(s);
}

/** Per-environment facts that values.<env>.yaml states once: namespace, environment, domain. */
type Known = ReadonlyMap<string, readonly (readonly [key: string, value: string])[]>;

interface Builder {
  known: Known;
  /** placeholder token → template action */
  actions: Map<string, string>;
  /** env → values tree */
  values: Map<string, { [k: string]: Json }>;
}

function token(b: Builder, action: string): string {
  const t = `__FERRY_TPL_${b.actions.size}__`;
  b.actions.set(t, action);
  return t;
}

function setValue(tree: { [k: string]: Json }, path: readonly string[], value: Json): void {
  let cur = tree;
  for (const p of path.slice(0, -1)) {
    const next = cur[p];
    if (!isMap(next)) cur[p] = {};
    cur = cur[p] as { [k: string]: Json };
  }
  cur[path.at(-1)!] = value;
}

function indexExpr(path: readonly string[]): string {
  return `(index .Values ${path.map(goString).join(' ')})`;
}

/** One string that holds the version, the same in every environment otherwise. */
function versionString(b: Builder, s: string): string {
  const parts = s.split(VERSION_SENTINEL);
  const args = parts.flatMap((p, i) => (i === 0 ? [goString(p)] : ['.Values.image.tag', goString(p)]));
  return token(b, `{{ print ${args.join(' ')} | toJson }}`);
}

/** The template of one value across environments (undefined where an env lacks it). */
function template(
  b: Builder,
  envs: readonly string[],
  vals: readonly (Json | undefined)[],
  path: readonly string[],
): Json {
  const first = vals[0];
  if (vals.every((v) => same(v, first)) && first !== undefined && !hasSentinel(first)) {
    if (typeof first === 'string' && first.includes('{{'))
      return token(b, `{{ ${goString(first)} | toJson }}`);
    if (!JSON.stringify(first).includes('{{') && !JSON.stringify(first).includes('__FERRY_TPL_'))
      return first;
  }
  if (vals.every(isMap)) {
    const keys = vals.map((v) => Object.keys(v as object).join('\u0000'));
    if (keys.every((k) => k === keys[0])) {
      const out: { [k: string]: Json } = {};
      for (const k of Object.keys(first as object))
        out[k] = template(
          b,
          envs,
          vals.map((v) => (v as { [k: string]: Json })[k]),
          [...path, k],
        );
      return out;
    }
  }
  if (vals.every(Array.isArray) && vals.every((v) => (v as Json[]).length === (first as Json[]).length))
    return (first as Json[]).map((_, i) =>
      template(
        b,
        envs,
        vals.map((v) => (v as Json[])[i]),
        [...path, String(i)],
      ),
    );
  if (typeof first === 'string' && vals.every((v) => v === first) && hasSentinel(first))
    return versionString(b, first);
  // A string made of per-environment facts (namespace, environment name, domain) and constants.
  if (vals.every((v) => typeof v === 'string')) {
    const t = knownTemplate(b, envs, vals as string[]);
    if (t !== undefined) return t;
  }
  // Differs between environments: read it from values.<env>.yaml.
  envs.forEach((e, i) => setValue(b.values.get(e)!, path, (vals[i] ?? null) as Json));
  if (vals.some((v) => hasSentinel(v))) {
    // rare: a per-environment value that also holds the version — keep the version out of values
    envs.forEach((e, i) =>
      setValue(
        b.values.get(e)!,
        path,
        JSON.parse(
          JSON.stringify(vals[i] ?? null)
            .split(VERSION_SENTINEL)
            .join('{{VERSION}}'),
        ) as Json,
      ),
    );
    return token(b, `{{ ${indexExpr(path)} | toJson | replace "{{VERSION}}" .Values.image.tag }}`);
  }
  return token(b, `{{ ${indexExpr(path)} | toJson }}`);
}

function knownTemplate(b: Builder, envs: readonly string[], vals: readonly string[]): string | undefined {
  const split = (env: string, text: string): (string | { key: string })[] => {
    let parts: (string | { key: string })[] = [text];
    for (const [key, value] of b.known.get(env) ?? []) {
      if (value === '') continue;
      parts = parts.flatMap((p) =>
        typeof p !== 'string' ? [p] : p.split(value).flatMap((x, i) => (i === 0 ? [x] : [{ key }, x])),
      );
    }
    return parts.filter((p) => p !== '');
  };
  const patterns = envs.map((e, i) => split(e, vals[i]!));
  const shape = JSON.stringify(patterns[0]);
  if (!patterns.every((p) => JSON.stringify(p) === shape) || !patterns[0]!.some((p) => typeof p !== 'string'))
    return undefined;
  if (hasSentinel(vals[0]!)) return undefined;
  const args = patterns[0]!.map((p) => (typeof p === 'string' ? goString(p) : `.Values.${p.key}`));
  return token(b, `{{ print ${args.join(' ')} | toJson }}`);
}

function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.name}`;
}

function fileName(o: KubeObject): string {
  return `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`.replace(/[^a-z0-9.-]/g, '-');
}

/**
 * The chart of one service. `byEnv` holds the service's Workload in each environment it runs in,
 * resolved at VERSION_SENTINEL; `version` is the default image tag written to values.yaml.
 */
export function renderHelmChart(byEnv: ReadonlyMap<string, Workload>, version: string): ChartFile[] {
  const envs = [...byEnv.keys()];
  const first = byEnv.get(envs[0]!);
  if (!first) throw new RangeError('a chart needs at least one environment');
  const objects = new Map<string, Map<string, Json>>(); // key → env → object
  const order: KubeObject[] = [];
  for (const [env, w] of byEnv) {
    for (const o of renderKubernetes(w).objects) {
      const k = objectKey(o);
      if (!objects.has(k)) {
        objects.set(k, new Map());
        order.push(o);
      }
      objects.get(k)!.set(env, plain(o));
    }
  }
  const known = new Map(
    [...byEnv].map(([e, w]) => [
      e,
      [
        ['namespace', w.environment.namespace],
        ['domain', w.environment.domain ?? ''],
        ['environment', w.environment.name],
      ] as const,
    ]),
  );
  const b: Builder = {
    known,
    actions: new Map(),
    values: new Map(envs.map((e) => [e, Object.fromEntries(known.get(e)!.filter(([, v]) => v !== ''))])),
  };
  const files: ChartFile[] = [];
  for (const o of order) {
    const k = objectKey(o);
    const perEnv = objects.get(k)!;
    const present = envs.filter((e) => perEnv.has(e));
    const body = template(
      b,
      present,
      present.map((e) => perEnv.get(e)!),
      ['objects', k],
    );
    let text = stringify(body, { lineWidth: 0 });
    for (const [t, action] of b.actions) text = text.split(t).join(action);
    if (present.length < envs.length) {
      for (const e of envs) setValue(b.values.get(e)!, ['enabled', k], present.includes(e));
      text = `{{- if (index .Values "enabled" ${goString(k)}) }}\n${text}{{- end }}\n`;
    }
    files.push({
      path: `templates/${fileName(o)}`,
      content: `# ${k}, rendered by ferry: edit ferry.yaml, not this file.\n${text}`,
    });
  }
  const chart = {
    apiVersion: 'v2',
    name: first.service,
    description: `${first.service}, generated by ferry from its ferry.yaml`,
    type: 'application',
    version: '0.1.0',
    appVersion: version,
  };
  files.unshift({ path: 'Chart.yaml', content: stringify(chart) });
  files.push({
    path: 'values.yaml',
    content: `# The version (image tag) to deploy: helm template . -f values.<env>.yaml --set-string image.tag=<version>\n${stringify({ image: { repository: first.imageRepository, tag: version } })}`,
  });
  for (const e of envs)
    files.push({
      path: `values.${e}.yaml`,
      content: `# ${first.service} in ${e}: what differs from the other environments\n${stringify(b.values.get(e)!, { lineWidth: 0 })}`,
    });
  return files;
}
