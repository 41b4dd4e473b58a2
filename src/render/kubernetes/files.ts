// `files`: content files become one ConfigMap (<service>-files), Secret and ConfigMap files are
// read from theirs; each file is one volume with one item, mounted at its path with subPath, so a file never
// hides what the image already has in that folder (/etc/nginx/mime.types beside nginx.conf).
// Every pod of the service mounts them: a migration or a cron reads /run/secrets/* too.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { MountedFile, Workload } from '../../model/types.ts';
import { staticLabels } from './labels.ts';
import { objectName } from './names.ts';
import type { KubeObject } from './object.ts';

export interface ConfigMap extends KubeObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  data: Record<string, string>;
}

export function filesConfigMapName(service: string): string {
  return objectName(`${service}-files`);
}

/** The file name of a path, as the item's path inside its volume. */
function baseName(path: string): string {
  return path.split('/').pop()!;
}

/** The ConfigMap key of each content file: its file name, made unique in order of path. */
function contentKeys(files: readonly MountedFile[]): Map<MountedFile, string> {
  const keys = new Map<MountedFile, string>();
  const used = new Set<string>();
  for (const f of files) {
    if (f.source.kind !== 'content') continue;
    const base = baseName(f.path).replace(/[^-._a-zA-Z0-9]/g, '_') || 'file';
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}-${i}`;
    used.add(key);
    keys.set(f, key);
  }
  return keys;
}

export function renderFilesConfigMap(w: Workload): ConfigMap | undefined {
  const keys = contentKeys(w.files);
  if (keys.size === 0) return undefined;
  const data: Record<string, string> = {};
  for (const [f, key] of keys) if (f.source.kind === 'content') data[key] = f.source.content;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: filesConfigMapName(w.service),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    data,
  };
}

/** The pod volumes and container mounts of the service's files. */
export function fileMounts(w: Workload): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const keys = contentKeys(w.files);
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  w.files.forEach((f, i) => {
    const name = `ferry-file-${i}`;
    const item = { path: baseName(f.path), mode: f.mode };
    const src = f.source;
    volumes.push(
      src.kind === 'secret'
        ? { name, secret: { secretName: src.name, items: [{ key: src.key, ...item }] } }
        : src.kind === 'configMap'
          ? { name, configMap: { name: src.name, items: [{ key: src.key, ...item }] } }
          : {
              name,
              configMap: { name: filesConfigMapName(w.service), items: [{ key: keys.get(f)!, ...item }] },
            },
    );
    mounts.push({ name, mountPath: f.path, subPath: item.path, readOnly: true });
  });
  return { volumes, mounts };
}
