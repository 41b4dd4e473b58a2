// secrets → files at /run/secrets/<target> (or the absolute target), read from a Kubernetes
// Secret named like the compose secret (or its `name`), key = the secret's name. Apps keep
// reading the file they read on Swarm (often through a *_FILE variable).
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper, Manifest } from '../context.ts';
import { fileMode } from './file-mode.ts';

type File = NonNullable<Manifest['files']>[number];

/** Where compose mounts a secret or config: an absolute target, or under `dir`. */
export function mountPath(target: string, dir: string): string {
  return target.startsWith('/') ? target : `${dir}/${target}`;
}

export const mapSecrets: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const list = ctx.svc.secrets;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('secrets'), 'not a list');
  const top = isRecord(ctx.project.secrets) ? ctx.project.secrets : {};
  const files: File[] = [...(m.files ?? [])];
  const labels = isRecord(ctx.svc.deploy) && isRecord(ctx.svc.deploy.labels) ? ctx.svc.deploy.labels : {};
  const envTargets = String(labels['ferry.secret-env'] ?? '').split(',');
  list.forEach((s, i) => {
    const source = typeof s === 'string' ? s : isRecord(s) ? String(s.source ?? '') : '';
    if (source === '') return report.dropped(name, at('secrets', i), 'no secret name');
    const def = top[source];
    const external = isRecord(def) && (def.external === true || isRecord(def.external));
    const secretName = toDnsLabel(
      isRecord(def) && typeof def.name === 'string'
        ? def.name
        : isRecord(def) && isRecord(def.external) && typeof def.external.name === 'string'
          ? def.external.name
          : source,
    );
    const key = source.replace(/[^-._a-zA-Z0-9]/g, '_');
    const target = isRecord(s) && typeof s.target === 'string' ? s.target : source;
    if (envTargets.includes(target)) {
      // ferry's swarm target mounted a variable of ferry's as this file: it is the variable again
      m.secrets = { ...(m.secrets ?? {}), [target]: `secret:${secretName}#${key}` };
      report.mapped(
        name,
        at('secrets', i),
        `secrets.${target}`,
        'a variable read from the Secret (ferry.secret-env)',
      );
      return;
    }
    const path = mountPath(target, '/run/secrets');
    if (files.some((f) => f.path === path))
      return report.dropped(name, at('secrets', i), `${path} is mounted already`);
    const file: File = { path, secret: secretName, key };
    const mode = isRecord(s) ? fileMode(s.mode) : undefined;
    if (mode !== undefined) file.mode = mode;
    files.push(file);
    const origin = external
      ? 'an existing (external) secret: create it in each namespace'
      : isRecord(def) && typeof def.file === 'string'
        ? `made from the file ${def.file}: create it in each namespace (kubectl create secret generic ${secretName} --from-file=${key}=${def.file})`
        : isRecord(def) && typeof def.environment === 'string'
          ? `made from the variable ${def.environment}: create it in each namespace`
          : 'create it in each namespace';
    const where = typeof s === 'string' ? at('secrets', i) : at('secrets', i, 'source');
    report.approximated(
      name,
      where,
      `files`,
      `the file ${path} from Kubernetes Secret ${secretName} key ${key} (${origin})`,
    );
    if (isRecord(s)) {
      if (s.target !== undefined) report.mapped(name, at('secrets', i, 'target'), 'files[].path');
      if (s.mode !== undefined)
        if (mode !== undefined) report.mapped(name, at('secrets', i, 'mode'), 'files[].mode');
        else report.dropped(name, at('secrets', i, 'mode'), 'not a file mode');
      for (const k of ['uid', 'gid'])
        if (s[k] !== undefined)
          report.dropped(name, at('secrets', i, k), 'Kubernetes mounts the file as root (readable per mode)');
    }
    // a variable that points at the file (DB_PASSWORD_FILE=/run/secrets/db_password) now finds it
    const env = isRecord(ctx.svc.environment) ? ctx.svc.environment : {};
    for (const [k, v] of Object.entries(env))
      if (v === path) report.note(at('environment', k), `the secret file mounted at ${path}`);
  });
  if (files.length > 0) m.files = files;
};
