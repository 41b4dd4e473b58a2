// compose files and Swarm stacks (several files merged in order) → ferry manifests + report.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, type Location } from '../../errors.ts';
import { Reporter } from '../report.ts';
import { isRecord, type KeyPath, type SourceDoc } from '../source.ts';
import { toDnsLabel } from '../names.ts';
import { claimName, importResult, readFirstDoc } from '../common.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';
import { interpolate } from './interpolate.ts';
import { mergeProjects } from './merge.ts';
import { parseEnvFile } from './map/env-file.ts';
import { mapService } from './service.ts';
import { foldCrons } from './fold-crons.ts';
import { readProjectFiles } from './project-files.ts';
import { wireServices } from './wiring.ts';

const TOP_LEVEL_DROPS: Readonly<Record<string, string>> = {
  version: 'the compose file version is informational',
  name: 'the project name: ferry names services individually (the namespace is per environment)',
  networks: 'every service in a namespace reaches the others by name; no networks to declare',
  include: 'include is not followed: pass the included files to ferry import as well',
};

async function dotEnv(dir: string): Promise<Record<string, string>> {
  try {
    return parseEnvFile(await readFile(resolve(dir, '.env'), 'utf8'));
  } catch {
    return {};
  }
}

/** Finds the document that holds the deepest part of `path` (later files first). */
function locator(docs: readonly SourceDoc[]): (path: KeyPath) => Location | undefined {
  return (path) => {
    let best: { depth: number; doc: SourceDoc } | undefined;
    for (let i = docs.length - 1; i >= 0; i--) {
      const doc = docs[i]!;
      let v: unknown = doc.value;
      let depth = 0;
      for (const p of path) {
        if (Array.isArray(v) && typeof p === 'number' && p < v.length) v = v[p];
        else if (isRecord(v) && typeof p === 'string' && p in v) v = v[p];
        else break;
        depth++;
      }
      if (!best || depth > best.depth) best = { depth, doc };
    }
    return best?.doc.locate(path);
  };
}

export async function importCompose(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  if (files.length === 0) throw new InvalidInputError([{ path: '', message: 'no compose file given' }]);
  const docs: SourceDoc[] = [];
  for (const f of files) {
    const { doc } = await readFirstDoc(
      f,
      (v) => (isRecord(v) ? v : undefined),
      'not a compose file: expected a mapping with services',
      `${f} is not a compose file`,
    );
    docs.push(doc);
  }
  const projectDir = dirname(resolve(files[0]!));
  const vars = { ...(await dotEnv(projectDir)), ...(opts.vars ?? {}) };
  const locate = locator(docs);
  const report = new Reporter(locate);
  const interpolated = docs.map((d) => interpolate(d.value, vars));
  const project = mergeProjects(interpolated.map((i) => i.value));
  const services = isRecord(project.services) ? project.services : {};
  if (!isRecord(project.services) || Object.keys(services).length === 0)
    throw new InvalidInputError(
      [
        {
          path: 'services',
          message: 'no services in the compose file',
          loc: locate(['services']) ?? { file: files[0]!, line: 1, col: 1 },
          hint: 'a compose file lists its services under "services:"',
        },
      ],
      'nothing to import',
    );

  // Names: compose keys → DNS labels, unique.
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const key of Object.keys(services).sort()) {
    names.set(key, claimName(used, toDnsLabel(key), toDnsLabel(key).slice(0, 60)));
  }
  const serviceOf = (path: KeyPath): string =>
    path[0] === 'services' && typeof path[1] === 'string' ? (names.get(path[1]) ?? '') : '';

  for (const i of interpolated)
    for (const u of i.unresolved)
      report.approximated(
        serviceOf(u.path),
        u.path,
        '(interpolation)',
        u.required !== undefined
          ? `required variable ${u.name} is not set (${u.required}): it became ""; pass it with --var ${u.name}=…`
          : `variable ${u.name} is not set: it became "" (pass --var ${u.name}=… or a .env file)`,
      );

  // env_file contents, read relative to the project directory.
  const envFiles = new Map<string, Record<string, string> | Error>();
  for (const svc of Object.values(services)) {
    if (!isRecord(svc) || svc.env_file === undefined) continue;
    const list = Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
    for (const f of list) {
      const p = typeof f === 'string' ? f : isRecord(f) ? String(f.path) : String(f);
      if (envFiles.has(p)) continue;
      try {
        envFiles.set(p, parseEnvFile(await readFile(resolve(projectDir, p), 'utf8')));
      } catch (e) {
        envFiles.set(p, e as Error);
      }
    }
  }

  const projectFiles = await readProjectFiles(project, projectDir);
  const substituted = new Map<string, string[]>();
  for (const i of interpolated)
    for (const s of i.substituted) {
      const k = JSON.stringify(s.path);
      substituted.set(k, [...(substituted.get(k) ?? []), s.name]);
    }
  const out: ImportedService[] = [];
  for (const [key, svc] of Object.entries(services)) {
    const name = names.get(key)!;
    if (!isRecord(svc)) {
      report.dropped(name, ['services', key], 'not a mapping');
      continue;
    }
    out.push(mapService({ key, name, svc, project, vars, envFiles, projectFiles, substituted, report }));
  }

  foldCrons(services, names, out, report);
  wireServices(services, names, out, report);

  for (const [k, why] of Object.entries(TOP_LEVEL_DROPS))
    if (project[k] !== undefined) report.dropped('', [k], why);
  for (const k of Object.keys(project))
    if (k.startsWith('x-')) report.dropped('', [k], 'extension field: ignored by compose too');
  for (const k of ['secrets', 'configs', 'volumes'] as const) {
    const defs = project[k];
    if (!isRecord(defs)) continue;
    for (const [n, def] of Object.entries(defs)) {
      const used = Object.values(services).some(
        (s) =>
          isRecord(s) &&
          Array.isArray(s[k]) &&
          s[k].some((x) =>
            typeof x === 'string' ? x === n || x.startsWith(`${n}:`) : isRecord(x) && x.source === n,
          ),
      );
      if (!used) report.dropped('', [k, n], `not used by any service`);
      else if (k === 'configs')
        report.approximated('', [k, n], 'files', 'mounted as files (see each service)');
      else if (k === 'secrets')
        report.approximated(
          '',
          [k, n],
          'files',
          isRecord(def) && def.external
            ? 'an existing Kubernetes Secret is mounted as files'
            : 'create a Kubernetes Secret with this content in each namespace; it is mounted as files',
        );
      else report.approximated('', [k, n], 'volumes', 'a persistent volume of each service that mounts it');
    }
  }
  report.complete(project, [], serviceOf);

  return importResult('compose', files, out, report.entries(), opts);
}
