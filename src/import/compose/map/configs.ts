// configs → files at their target (default /<name>): a config read from a file of the project is
// written into ferry.yaml (files[].content, rendered as a ConfigMap); an external config, or a
// file too large or not found, is read from a ConfigMap of that name, to be created.
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper, Manifest } from '../context.ts';
import { CONTENT_LIMIT } from '../project-files.ts';
import { fileMode } from './file-mode.ts';
import { mountPath } from './secrets.ts';

type File = NonNullable<Manifest['files']>[number];

export const mapConfigs: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const list = ctx.svc.configs;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('configs'), 'not a list');
  const top = isRecord(ctx.project.configs) ? ctx.project.configs : {};
  const files: File[] = [...(m.files ?? [])];
  list.forEach((c, i) => {
    const source = typeof c === 'string' ? c : isRecord(c) ? String(c.source ?? '') : '';
    if (source === '') return report.dropped(name, at('configs', i), 'no config name');
    const def = isRecord(top[source]) ? top[source] : {};
    const path = mountPath(isRecord(c) && typeof c.target === 'string' ? c.target : source, '');
    if (files.some((f) => f.path === path))
      return report.dropped(name, at('configs', i), `${path} is mounted already`);
    const where = typeof c === 'string' ? at('configs', i) : at('configs', i, 'source');
    const read = typeof def.file === 'string' ? ctx.projectFiles.get(def.file) : undefined;
    const file: File = { path };
    if (typeof def.content === 'string') {
      file.content = def.content;
      report.mapped(
        name,
        where,
        'files[].content',
        `the config's content, as a ConfigMap mounted at ${path}`,
      );
    } else if (read?.kind === 'file' && read.text !== undefined) {
      file.content = read.text;
      report.approximated(
        name,
        where,
        'files[].content',
        `the content of ${String(def.file)} is written into ferry.yaml (a ConfigMap mounted at ${path}): edit it there`,
      );
    } else {
      const cm = toDnsLabel(typeof def.name === 'string' ? def.name : source);
      const key = (typeof def.file === 'string' ? def.file.split('/').pop()! : source).replace(
        /[^-._a-zA-Z0-9]/g,
        '_',
      );
      file.configMap = cm;
      file.key = key;
      const why =
        def.external === true || isRecord(def.external)
          ? 'an existing (external) config'
          : read?.kind === 'file'
            ? `${String(def.file)} is over ${CONTENT_LIMIT / 1024} KiB or not text`
            : typeof def.file === 'string'
              ? `${def.file} was not found next to the compose file`
              : 'no file or content given';
      report.approximated(
        name,
        where,
        'files[].configMap',
        `${why}: the file ${path} comes from ConfigMap ${cm} key ${key} — create it in each namespace${typeof def.file === 'string' ? ` (kubectl create configmap ${cm} --from-file=${key}=${def.file})` : ''}`,
      );
    }
    const mode = isRecord(c) ? fileMode(c.mode) : undefined;
    if (mode !== undefined) file.mode = mode;
    files.push(file);
    if (isRecord(c)) {
      if (c.target !== undefined) report.mapped(name, at('configs', i, 'target'), 'files[].path');
      if (c.mode !== undefined)
        if (mode !== undefined) report.mapped(name, at('configs', i, 'mode'), 'files[].mode');
        else report.dropped(name, at('configs', i, 'mode'), 'not a file mode');
      for (const k of ['uid', 'gid'])
        if (c[k] !== undefined)
          report.dropped(name, at('configs', i, k), 'Kubernetes mounts the file as root (readable per mode)');
    }
  });
  if (files.length > 0) m.files = files;
};
