// Marathon apps and Chronos jobs imported together (`ferry import apps.json jobs.json`): the jobs
// that run an app's image become that app's crons, as ANNA's manifest held `app_name` and
// `chronos_tasks` together; the others are services of their own (chronos/group.ts).
import { importChronosJobs } from './chronos/index.ts';
import { importResult } from './common.ts';
import { importMarathon } from './marathon/index.ts';
import type { ImportOptions, ImportResult } from './types.ts';

export async function importMarathonChronos(
  marathon: readonly string[],
  chronos: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const apps = await importMarathon(marathon, opts);
  const jobs = await importChronosJobs(chronos, apps.services);
  return importResult(
    'marathon',
    [...marathon, ...chronos],
    [...apps.services, ...jobs.services],
    [...apps.report, ...jobs.entries],
    opts,
  );
}
