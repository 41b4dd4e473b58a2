// A pod rolls when what it reads changes, and only then. What a pod reads inside its own template
// (image, command, env values) already changes the template. What it reads by reference — a
// ConfigMap or Secret that ferry renders in the same set, mounted or read through env — does not,
// so the pod template gets `ferry.dev/config-digest`: a digest of exactly those objects' data.
// Nothing else is annotated: an object's content is its own digest, and a manifest edit that
// does not change an object leaves it byte for byte the same (nothing to update, no restart).
import { canonicalJson, sha256Hex } from '../../model/canonical.ts';
import { ANNOTATION_CONFIG_DIGEST } from './labels.ts';
import type { KubeObject } from './object.ts';

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (v: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((cur, k) => (isMap(cur) ? cur[k] : undefined), v);

/** The pod template of a workload object (Deployment, DaemonSet, StatefulSet, Job, CronJob). */
export function podTemplateOf(o: KubeObject): Json | undefined {
  const spec = (o as unknown as { spec?: unknown }).spec;
  const t = o.kind === 'CronJob' ? at(spec, 'jobTemplate', 'spec', 'template') : at(spec, 'template');
  return isMap(t) ? t : undefined;
}

/** `ConfigMap/<name>` and `Secret/<name>` a pod spec reads: volumes, env, envFrom. */
export function configRefs(podSpec: unknown): Set<string> {
  const refs = new Set<string>();
  const add = (kind: string, name: unknown): void => {
    if (typeof name === 'string') refs.add(`${kind}/${name}`);
  };
  for (const v of list(at(podSpec, 'volumes'))) {
    add('ConfigMap', at(v, 'configMap', 'name'));
    add('Secret', at(v, 'secret', 'secretName'));
    for (const src of list(at(v, 'projected', 'sources'))) {
      add('ConfigMap', at(src, 'configMap', 'name'));
      add('Secret', at(src, 'secret', 'name'));
    }
  }
  const containers = [...list(at(podSpec, 'containers')), ...list(at(podSpec, 'initContainers'))];
  for (const c of containers) {
    for (const e of list(at(c, 'env'))) {
      add('ConfigMap', at(e, 'valueFrom', 'configMapKeyRef', 'name'));
      add('Secret', at(e, 'valueFrom', 'secretKeyRef', 'name'));
    }
    for (const e of list(at(c, 'envFrom'))) {
      add('ConfigMap', at(e, 'configMapRef', 'name'));
      add('Secret', at(e, 'secretRef', 'name'));
    }
  }
  return refs;
}

/** What a ConfigMap or Secret gives a pod: its data, not its labels. */
function payload(o: KubeObject): unknown {
  const r = o as unknown as Json;
  return { data: r['data'], stringData: r['stringData'], binaryData: r['binaryData'], type: r['type'] };
}

/**
 * Sets (or removes) the config digest on every pod template of `objects` (changed in place):
 * sha256 over the data of the ConfigMaps and Secrets of the same set that the pod reads.
 */
export function setConfigDigests(objects: readonly KubeObject[]): void {
  const config = new Map<string, KubeObject>(
    objects
      .filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')
      .map((o) => [`${o.kind}/${o.metadata.name}`, o] as const),
  );
  for (const o of objects) {
    const t = podTemplateOf(o);
    if (!t) continue;
    const read = [...configRefs(t['spec'])].filter((r) => config.has(r)).sort();
    const meta = (isMap(t['metadata']) ? t['metadata'] : (t['metadata'] = {})) as Json;
    const annotations = Object.fromEntries(
      Object.entries(isMap(meta['annotations']) ? meta['annotations'] : {}).filter(
        ([k]) => k !== ANNOTATION_CONFIG_DIGEST,
      ),
    );
    if (read.length > 0) {
      const digest = sha256Hex(canonicalJson(read.map((r) => [r, payload(config.get(r)!)])));
      annotations[ANNOTATION_CONFIG_DIGEST] = digest.slice(0, 16);
    }
    if (Object.keys(annotations).length > 0) meta['annotations'] = annotations;
    else delete meta['annotations'];
  }
}
