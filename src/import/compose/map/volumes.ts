// volumes → persistent volumes (named volumes); bind mounts, tmpfs and anonymous volumes reported.
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper, Manifest } from '../context.ts';

export const mapVolumes: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const list = ctx.svc.volumes;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('volumes'), 'not a list');
  const top = isRecord(ctx.project.volumes) ? ctx.project.volumes : {};
  const vols: NonNullable<Manifest['volumes']> = [];
  list.forEach((v, i) => {
    const key = at('volumes', i);
    let type: string;
    let source = '';
    let target = '';
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) {
        type = 'anonymous';
        target = parts[0] ?? '';
      } else {
        source = parts[0] ?? '';
        target = parts[1] ?? '';
        type = /^[./~]/.test(source) || source.includes('/') ? 'bind' : 'volume';
      }
    } else if (isRecord(v)) {
      type = String(v.type ?? 'volume');
      source = String(v.source ?? '');
      target = String(v.target ?? '');
      if (type === 'volume' && source === '') type = 'anonymous';
    } else return report.dropped(name, key, 'not a volume');
    if (type === 'bind')
      return report.dropped(
        name,
        key,
        `host path ${source}: pods move between nodes; use a named volume, a ConfigMap baked into the image, or object storage`,
      );
    if (type === 'tmpfs') return report.dropped(name, key, 'tmpfs: write temporary files under /tmp');
    if (type === 'anonymous')
      return report.dropped(
        name,
        key,
        `anonymous volume at ${target}: its data does not outlive the container; use a named volume to keep it`,
      );
    if (type !== 'volume') return report.dropped(name, key, `volume type "${type}" is not modelled`);
    if (!target.startsWith('/')) return report.dropped(name, key, 'no absolute target path');
    const def = top[source];
    const volName = toDnsLabel(source);
    const vol: NonNullable<Manifest['volumes']>[number] = { name: volName, path: target, size: '100Mi' };
    vols.push(vol);
    const ext = isRecord(def) && (def.external === true || isRecord(def.external));
    report.approximated(
      name,
      key,
      `volumes.${volName}`,
      `a PersistentVolumeClaim of 100Mi (compose gives no size; kompose uses the same default — set the size you need)${ext ? '; the volume was external: move its data' : ''}`,
    );
    if (isRecord(def)) {
      for (const k of Object.keys(def))
        if (!report.covers(['volumes', source, k]))
          report.dropped(
            '',
            ['volumes', source, k],
            k === 'driver' || k === 'driver_opts'
              ? 'the storage class decides the driver (volumes[].storageClass)'
              : 'not modelled',
          );
    }
  });
  if (vols.length > 0) m.volumes = vols;
};
