// Test helper: runs field mappers on one Marathon app, outside a file, and returns the manifest
// they built and what they reported (entries by path).
import { Reporter, type ReportEntry } from '../report.ts';
import { appContext, type AppMapper, type Manifest } from './context.ts';

export interface MapperRun {
  m: Manifest;
  entries: ReportEntry[];
  /** the entry for the app's field at `path` (the app is the whole file) */
  at(path: string): ReportEntry | undefined;
}

export function runMappers(
  mappers: readonly AppMapper[],
  app: Record<string, unknown>,
  manifest: Partial<Manifest> = {},
): MapperRun {
  const report = new Reporter(() => undefined);
  const ctx = appContext({ app, at: [], name: 'web', report });
  const m: Manifest = { service: 'web', image: 'web', ...manifest };
  for (const map of mappers) map(ctx, m);
  const entries = report.entries();
  return { m, entries, at: (path) => entries.find((e) => e.path === path) };
}
