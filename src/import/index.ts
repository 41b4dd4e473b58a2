// `ferry import`'s core: detect the format (unless given), run its importer.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError } from '../errors.ts';
import { detectFormats, oneFormat } from './detect.ts';
import type { Format, ImportOptions, ImportResult } from './types.ts';

type Importer = (files: readonly string[], opts: ImportOptions) => Promise<ImportResult>;

const importers: Readonly<Record<Format, () => Promise<Importer>>> = {
  compose: async () => (await import('./compose/index.ts')).importCompose,
  marathon: async () => (await import('./marathon/index.ts')).importMarathon,
  chronos: async () => (await import('./chronos/index.ts')).importChronos,
  beanstalk: async () => (await import('./beanstalk/index.ts')).importBeanstalk,
  kubernetes: async () => (await import('./kubernetes/index.ts')).importKubernetes,
};

/**
 * A folder stands for the Elastic Beanstalk files in it (an application bundle: Dockerrun.aws.json,
 * Procfile, cron.yaml, env.yaml, .ebextensions/*.config, .elasticbeanstalk/saved_configs/*.cfg.yml);
 * one with none of them is left as it is (and reported as a folder).
 */
async function expandFolders(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    const found = (await stat(f).catch(() => undefined))?.isDirectory() ? await beanstalkBundle(f) : [];
    out.push(...(found.length > 0 ? found : [f]));
  }
  return out;
}

async function beanstalkBundle(dir: string): Promise<string[]> {
  const list = async (sub: string, re: RegExp): Promise<string[]> =>
    (await readdir(join(dir, sub)).catch(() => [] as string[]))
      .filter((n) => re.test(n))
      .sort()
      .map((n) => join(dir, sub, n));
  return [
    ...(await list('.', /^(Dockerrun\.aws\.json|Procfile|cron\.yaml|env\.yaml)$/)),
    ...(await list('.ebextensions', /\.config$/)),
    ...(await list('.elasticbeanstalk/saved_configs', /\.cfg\.yml$/)),
  ];
}

export async function importFiles(
  files: readonly string[],
  from?: Format,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  if (files.length === 0)
    throw new FerryError('E_USAGE', 'no files to import', {
      hint: 'ferry import compose.yaml --out services/',
    });
  files = await expandFolders(files);
  if (from !== undefined) return (await importers[from]())(files, opts);
  const formats = await detectFormats(files);
  const format = oneFormat(formats);
  // Marathon apps and Chronos jobs together: the jobs become the crons of the apps they run
  const chronos = files.filter((f) => formats.get(f) === 'chronos');
  if (chronos.length > 0 && chronos.length < files.length) {
    const { importMarathonChronos } = await import('./mesos.ts');
    const marathon = files.filter((f) => formats.get(f) === 'marathon');
    return importMarathonChronos(marathon, chronos, opts);
  }
  return (await importers[format]())(files, opts);
}

export type { Format, ImportOptions, ImportResult, ImportedService } from './types.ts';
