// Chronos jobs (one job or a list, as GET /v1/scheduler/jobs returns) → ferry services with crons,
// grouped by the image they run (group.ts): alone, or as the crons of Marathon apps imported
// with them (importChronosJobs, used by the Marathon + Chronos import).
import { claimName, importResult, readFirstDoc } from '../common.ts';
import type { ReportEntry } from '../report.ts';
import type { KeyPath } from '../source.ts';
import { isRecord } from '../source.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';
import { groupJobs, type JobDoc } from './group.ts';

export function findJobs(value: unknown): { job: Record<string, unknown>; at: KeyPath }[] | undefined {
  const isJob = (v: unknown): v is Record<string, unknown> =>
    isRecord(v) &&
    typeof v.name === 'string' &&
    (typeof v.schedule === 'string' || Array.isArray(v.parents)) &&
    v.command !== undefined;
  if (Array.isArray(value) && value.length > 0 && value.every(isJob))
    return value.map((job, i) => ({ job, at: [i] }));
  if (isJob(value)) return [{ job: value, at: [] }];
  return undefined;
}

/** The jobs of `files`; those that run an app's image become its crons (the apps are changed). */
export async function importChronosJobs(
  files: readonly string[],
  apps: readonly ImportedService[],
): Promise<{ services: ImportedService[]; entries: ReportEntry[] }> {
  const docs: JobDoc[] = [];
  for (const f of files) {
    const { doc, found } = await readFirstDoc(
      f,
      findJobs,
      'no Chronos job found (expected a job with name, command and schedule or parents, or a list of them)',
      `${f} is not a Chronos job`,
    );
    docs.push({ doc, jobs: found });
  }
  const used = new Set<string>();
  for (const a of apps) claimName(used, a.manifest.service);
  return groupJobs(docs, apps, used);
}

export async function importChronos(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const { services, entries } = await importChronosJobs(files, []);
  return importResult('chronos', files, services, entries, opts);
}
