// Test helper: runs field mappers on one compose service, outside a file, and returns the
// manifest they built and what they reported (entries by path).
import { Reporter, type ReportEntry } from '../report.ts';
import { serviceContext, type FieldMapper, type Manifest } from './context.ts';
import type { ProjectFile } from './project-files.ts';

export interface MapperRun {
  m: Manifest;
  entries: ReportEntry[];
  /** the entry for services.<key>.<path> (or a file-level path) */
  at(path: string): ReportEntry | undefined;
}

export function runMappers(
  mappers: readonly FieldMapper[],
  svc: Record<string, unknown>,
  opts: {
    key?: string;
    project?: Record<string, unknown>;
    vars?: Record<string, string>;
    envFiles?: ReadonlyMap<string, Record<string, string> | Error>;
    projectFiles?: ReadonlyMap<string, ProjectFile>;
    /** services.<key>.<path> → variables interpolated there */
    substituted?: Record<string, string[]>;
    manifest?: Partial<Manifest>;
  } = {},
): MapperRun {
  const key = opts.key ?? 'web';
  const report = new Reporter(() => undefined);
  const ctx = serviceContext({
    key,
    name: key,
    svc,
    project: opts.project ?? { services: { [key]: svc } },
    vars: opts.vars ?? {},
    envFiles: opts.envFiles ?? new Map(),
    projectFiles: opts.projectFiles ?? new Map(),
    substituted: new Map(
      Object.entries(opts.substituted ?? {}).map(([p, names]) => [
        JSON.stringify(['services', key, ...p.split('.')]),
        names,
      ]),
    ),
    report,
  });
  const m: Manifest = { service: key, image: key, ...opts.manifest };
  for (const map of mappers) map(ctx, m);
  const entries = report.entries();
  return {
    m,
    entries,
    at: (path) =>
      entries.find((e) => e.path === `services.${key}.${path}`) ?? entries.find((e) => e.path === path),
  };
}
