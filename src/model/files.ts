// `files` → MountedFile[]: each file is a key of a Secret or ConfigMap or content from the manifest, at an
// absolute path no other file uses, with octal permission bits.
import type { Collector } from './collector.ts';
import { DEFAULTS, type EffectiveManifest } from './effective.ts';
import type { MountedFile } from './types.ts';

export function resolveFiles(m: EffectiveManifest, c: Collector): MountedFile[] {
  const seen = new Set<string>();
  const out: MountedFile[] = [];
  (m.files ?? []).forEach((f, i) => {
    if (seen.has(f.path))
      c.add(['files', i, 'path'], `${f.path} is mounted twice`, 'give each file its own path');
    seen.add(f.path);
    const mode = parseInt(f.mode ?? DEFAULTS.fileMode, 8);
    const given = [f.secret, f.configMap, f.content].filter((x) => x !== undefined).length;
    if (given > 1) {
      c.add(['files', i], 'give one of secret, configMap and content');
      return;
    }
    const key = f.key ?? f.path.split('/').pop()!;
    if (f.secret !== undefined) {
      out.push({ path: f.path, source: { kind: 'secret', name: f.secret, key }, mode });
      return;
    }
    if (f.configMap !== undefined) {
      out.push({ path: f.path, source: { kind: 'configMap', name: f.configMap, key }, mode });
      return;
    }
    if (f.key !== undefined)
      c.add(['files', i, 'key'], 'key names a key of a Secret or ConfigMap: give secret or configMap too');
    if (f.content === undefined) {
      c.add(
        ['files', i],
        'say where the file comes from: secret (a Kubernetes Secret), configMap or content',
      );
      return;
    }
    out.push({ path: f.path, source: { kind: 'content', content: f.content }, mode });
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
