// container.volumes: persistent volumes → volumes (size in MiB); external and host volumes reported.
import { mibToMemory } from '../../common.ts';
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { AppMapper, Manifest } from '../context.ts';

export const mapVolumes: AppMapper = (ctx, m) => {
  const { report, name, at, container } = ctx;
  if (!container || !Array.isArray(container.volumes)) return;
  const vols: NonNullable<Manifest['volumes']> = [];
  container.volumes.forEach((v, i) => {
    const key = at('container', 'volumes', i);
    if (!isRecord(v)) return report.dropped(name, key, 'not a volume');
    const path = String(v.containerPath ?? '');
    if (isRecord(v.persistent)) {
      const size = mibToMemory(v.persistent.size) ?? '1Gi';
      const abs = path.startsWith('/') ? path : `/${path}`;
      const vn = toDnsLabel(path.split('/').filter(Boolean).pop() ?? `data-${i}`);
      vols.push({ name: vn, path: abs, size });
      report.approximated(
        name,
        key,
        `volumes.${vn}`,
        `a PersistentVolumeClaim of ${size}${path.startsWith('/') ? '' : ` mounted at ${abs} (Marathon paths are relative to the sandbox)`}`,
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
  if (vols.length > 0) m.volumes = vols;
};
