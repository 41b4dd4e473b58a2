// container.volumes: persistent volumes → volumes (size in MiB) of a stateful service (a Marathon
// persistent volume is local to its task, as a StatefulSet gives each pod its own claim); secret
// volumes (a file-based secret at containerPath) → files; external and host volumes reported.
import { mibToMemory } from '../../common.ts';
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { AppMapper, Manifest } from '../context.ts';

/** A Marathon secret source → a Kubernetes Secret and key: "<secret>/<key>" (what ferry renders),
 *  or any other path as one Secret named after it with the key "value". */
export function secretSource(source: string): { name: string; key: string } {
  const parts = source.split('/').filter(Boolean);
  if (parts.length === 2 && /^[-._a-zA-Z0-9]+$/.test(parts[1]!))
    return { name: toDnsLabel(parts[0]!), key: parts[1]! };
  return { name: toDnsLabel(parts.join('-') || source), key: 'value' };
}

export const mapVolumes: AppMapper = (ctx, m) => {
  const { report, name, at, container } = ctx;
  if (!container || !Array.isArray(container.volumes)) return;
  const vols: NonNullable<Manifest['volumes']> = [];
  const secrets = isRecord(ctx.app.secrets) ? ctx.app.secrets : {};
  container.volumes.forEach((v, i) => {
    const key = at('container', 'volumes', i);
    if (!isRecord(v)) return report.dropped(name, key, 'not a volume');
    const path = String(v.containerPath ?? '');
    const abs = path.startsWith('/') ? path : `/${path}`;
    if (typeof v.secret === 'string') {
      const def = secrets[v.secret];
      const source = isRecord(def) && typeof def.source === 'string' ? def.source : v.secret;
      const s = secretSource(source);
      m.files = [...(m.files ?? []), { path: abs, secret: s.name, key: s.key }];
      report.approximated(
        name,
        key,
        'files',
        `the secret file ${abs}: Marathon secret "${source}" → Kubernetes Secret ${s.name} key ${s.key} (create it in each namespace)`,
      );
      if (isRecord(def)) report.mapped(name, at('secrets', v.secret), 'files[].secret');
      return;
    }
    if (isRecord(v.persistent)) {
      const size = mibToMemory(v.persistent.size) ?? '1Gi';
      const vn = toDnsLabel(path.split('/').filter(Boolean).pop() ?? `data-${i}`);
      vols.push({ name: vn, path: abs, size });
      report.approximated(
        name,
        key,
        `volumes.${vn}`,
        `a persistent volume of ${size}${path.startsWith('/') ? '' : ` mounted at ${abs} (Marathon paths are relative to the sandbox)`}; the service runs as a StatefulSet (stateful: true), each pod with its own claim, as each task had its own volume`,
      );
    } else if (isRecord(v.external))
      report.dropped(
        name,
        key,
        `external volume "${String(v.external.name ?? '')}" (${String(v.external.provider ?? 'driver')}): create a PersistentVolume for it and add it under volumes`,
      );
    else if (v.hostPath !== undefined)
      report.dropped(
        name,
        key,
        `host path ${String(v.hostPath)}: pods move between nodes; use a volume or bake the files into the image`,
      );
    else report.dropped(name, key, 'volume kind not modelled');
  });
  if (vols.length > 0) {
    m.volumes = vols;
    m.stateful = true;
  }
};
