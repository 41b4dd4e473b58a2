// volumes: where the service keeps data, and files from the repository.
// - a named volume → a persistent volume (100Mi, as kompose: set the size);
// - a read-write host path or project folder (a database's data directory, uploads) → a
//   persistent volume too, never dropped: its data must be copied in and its size confirmed, so
//   `from` records where the data is and the report and ferry parity flag it as blocking;
// - a file of the project mounted into the container (./nginx.conf) → files[].content;
// - host facilities (docker.sock, /proc, /sys …), read-only host paths, tmpfs and anonymous
//   volumes are dropped with the reason.
// A service with a persistent volume runs as a StatefulSet (stateful: true).
import { posix } from 'node:path';
import { toDnsLabel } from '../../names.ts';
import { isRecord, type KeyPath } from '../../source.ts';
import type { FieldMapper, Manifest, ServiceContext } from '../context.ts';
import { isHostPath } from '../project-files.ts';

type Volume = NonNullable<Manifest['volumes']>[number];

/** Host paths that are the node's own facilities, not data. */
const HOST_FACILITIES = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/lib/docker',
  '/proc',
  '/sys',
  '/dev',
  '/etc/localtime',
  '/etc/timezone',
  '/etc/hostname',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/lib/modules',
  '/run',
  '/var/run',
  '/var/log',
];

function facility(source: string): string | undefined {
  return HOST_FACILITIES.find((f) => source === f || source.startsWith(`${f}/`));
}

/** The size ferry gives a data volume whose size no source says. */
export const DATA_VOLUME_SIZE = '10Gi';
export const NAMED_VOLUME_SIZE = '100Mi';

interface Mount {
  type: string;
  source: string;
  target: string;
  readOnly: boolean;
}

function parseMount(v: unknown): Mount | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':');
    if (parts.length === 1) return { type: 'anonymous', source: '', target: parts[0] ?? '', readOnly: false };
    const source = parts[0] ?? '';
    const opts = (parts[2] ?? '').split(',');
    return {
      type: /^[./~]/.test(source) || source.includes('/') ? 'bind' : 'volume',
      source,
      target: parts[1] ?? '',
      readOnly: opts.includes('ro'),
    };
  }
  if (!isRecord(v)) return undefined;
  const source = String(v.source ?? '');
  let type = String(v.type ?? 'volume');
  if (type === 'volume' && source === '') type = 'anonymous';
  return { type, source, target: String(v.target ?? ''), readOnly: v.read_only === true };
}

/** A volume name for `target` that no other volume of the service has. */
function volumeName(target: string, vols: readonly Volume[]): string {
  const segs = target.split('/').filter(Boolean);
  let n = toDnsLabel(segs.at(-1) ?? 'data');
  if (vols.some((v) => v.name === n) && segs.length > 1) n = toDnsLabel(segs.slice(-2).join('-'));
  for (let i = 2; vols.some((v) => v.name === n); i++) n = `${toDnsLabel(segs.at(-1) ?? 'data')}-${i}`;
  return n;
}

function mapBind(ctx: ServiceContext, m: Manifest, key: KeyPath, mt: Mount, vols: Volume[]): void {
  const { report, name } = ctx;
  const host = isHostPath(mt.source);
  const fac = host ? facility(posix.normalize(mt.source)) : undefined;
  if (fac !== undefined)
    return report.dropped(
      name,
      key,
      `${mt.source} is the node's own (${fac}): pods move between nodes and must not depend on one; run what needs it outside ferry`,
    );
  const local = host ? { kind: 'host' as const } : ctx.projectFiles.get(mt.source);
  if (local?.kind === 'file') {
    if (local.text === undefined)
      return report.dropped(
        name,
        key,
        `${mt.source} is ${local.bytes} bytes or not text: bake it into the image (files[].content holds small text files)`,
      );
    if ((m.files ?? []).some((f) => f.path === mt.target))
      return report.dropped(name, key, `${mt.target} is mounted already`);
    m.files = [...(m.files ?? []), { path: mt.target, content: local.text }];
    return report.approximated(
      name,
      key,
      'files[].content',
      `the content of ${mt.source} is written into ferry.yaml (a ConfigMap mounted at ${mt.target}${mt.readOnly ? '' : ', read-only'}): edit it there`,
    );
  }
  if (mt.readOnly)
    return report.dropped(
      name,
      key,
      local?.kind === 'dir'
        ? `${mt.source} is a folder of the repository, mounted read-only: bake it into the image (or list its files under files)`
        : `${mt.source} (read-only) ${host ? 'is on the old nodes' : 'was not found'}: bake the files into the image or list them under files`,
    );
  // read-write: data the service writes, kept in a persistent volume
  const vol: Volume = {
    name: volumeName(mt.target, vols),
    path: mt.target,
    size: DATA_VOLUME_SIZE,
    from: host
      ? `host path ${mt.source} on the old nodes`
      : `the folder ${mt.source} next to the compose file`,
  };
  vols.push(vol);
  report.approximated(
    name,
    key,
    `volumes.${vol.name}`,
    `data in ${mt.source} → a persistent volume of ${DATA_VOLUME_SIZE} at ${mt.target}: set the size it needs and copy the data in, then remove volumes[].from (ferry parity blocks until then)`,
    true,
  );
}

export const mapVolumes: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const list = ctx.svc.volumes;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('volumes'), 'not a list');
  const top = isRecord(ctx.project.volumes) ? ctx.project.volumes : {};
  const vols: Volume[] = [];
  list.forEach((v, i) => {
    const key = at('volumes', i);
    const mt = parseMount(v);
    if (!mt) return report.dropped(name, key, 'not a volume');
    if (!mt.target.startsWith('/')) return report.dropped(name, key, 'no absolute target path');
    if (mt.type === 'bind') return mapBind(ctx, m, key, mt, vols);
    if (mt.type === 'tmpfs') return report.dropped(name, key, 'tmpfs: write temporary files under /tmp');
    if (mt.type === 'anonymous')
      return report.dropped(
        name,
        key,
        `anonymous volume at ${mt.target}: its data does not outlive the container; use a named volume to keep it`,
      );
    if (mt.type !== 'volume') return report.dropped(name, key, `volume type "${mt.type}" is not modelled`);
    const def = top[mt.source];
    const volName = toDnsLabel(mt.source);
    if (vols.some((x) => x.name === volName))
      return report.dropped(name, key, `volume ${volName} is mounted already`);
    const ext = isRecord(def) && (def.external === true || isRecord(def.external));
    const vol: Volume = {
      name: volName,
      path: mt.target,
      size: NAMED_VOLUME_SIZE,
      from: `the Docker volume ${mt.source} on the old nodes`,
    };
    vols.push(vol);
    report.approximated(
      name,
      key,
      `volumes.${volName}`,
      `a persistent volume of ${NAMED_VOLUME_SIZE} (compose gives no size; kompose uses the same default): set the size it needs and copy the data of the Docker volume ${mt.source}${ext ? ' (external)' : ''} in, then remove volumes[].from (ferry parity blocks until then)${mt.readOnly ? '; it was mounted read-only, ferry mounts it read-write' : ''}`,
      true,
    );
    if (isRecord(def)) {
      for (const k of Object.keys(def))
        if (!report.covers(['volumes', mt.source, k]))
          report.dropped(
            '',
            ['volumes', mt.source, k],
            k === 'driver' || k === 'driver_opts'
              ? 'the storage class decides the driver (volumes[].storageClass)'
              : 'not modelled',
          );
    }
  });
  if (vols.length === 0) return;
  m.volumes = vols;
  // Swarm volumes are per node: each replica had its own, which is what a StatefulSet gives
  m.stateful = true;
  list.forEach(
    (_, i) =>
      vols.some((v) => v.path === parseMount(list[i])?.target) &&
      report.note(
        at('volumes', i),
        'the service runs as a StatefulSet (stateful: true): each pod keeps its own claim, as each Swarm node kept its own volume',
      ),
  );
};
