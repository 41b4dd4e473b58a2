// Secret and ConfigMap volumes mounted into the container → files: each item (or the one key a
// subPath mount picks) is a file at its path; a ConfigMap in the same files gives the content.
// A whole Secret or ConfigMap mounted as a folder without items names no files: not modelled.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { isRecord } from '../source.ts';

type File = NonNullable<ServiceManifest['files']>[number];
type Obj = Record<string, unknown>;

function get(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const p of path) v = isRecord(v) ? v[p] : undefined;
  return v;
}

function mode(n: unknown): string | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0o777
    ? n.toString(8).padStart(4, '0')
    : undefined;
}

/** The files of one volume mount, or undefined when it is not a Secret or ConfigMap with items. */
export function mountFiles(
  mount: unknown,
  podVolumes: readonly unknown[],
  configMaps: ReadonlyMap<string, Obj>,
): File[] | undefined {
  const vname = String(get(mount, 'name'));
  const mountPath = String(get(mount, 'mountPath'));
  const subPath = get(mount, 'subPath');
  const v = podVolumes.find((x) => get(x, 'name') === vname);
  const secret = get(v, 'secret');
  const cm = get(v, 'configMap');
  const src = isRecord(secret) ? secret : isRecord(cm) ? cm : undefined;
  if (!src) return undefined;
  const name = String(isRecord(secret) ? secret.secretName : src.name);
  const items = Array.isArray(src.items) ? src.items.filter(isRecord) : [];
  const defaultMode = mode(src.defaultMode);
  const data = isRecord(cm) ? configMaps.get(name) : undefined;
  const chosen = typeof subPath === 'string' ? items.filter((i) => i.path === subPath) : items;
  if (chosen.length === 0) return undefined;
  return chosen.map((i) => {
    const key = String(i.key);
    const path =
      typeof subPath === 'string' ? mountPath : `${mountPath.replace(/\/$/, '')}/${String(i.path)}`;
    const f: File = { path };
    const content = isRecord(data) ? data[key] : undefined;
    if (isRecord(secret)) Object.assign(f, { secret: name, key });
    else if (typeof content === 'string') f.content = content;
    else Object.assign(f, { configMap: name, key });
    const m = mode(i.mode) ?? defaultMode;
    if (m !== undefined && m !== '0444') f.mode = m;
    return f;
  });
}
