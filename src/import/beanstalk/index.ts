// Elastic Beanstalk → ferry: a Dockerrun.aws.json (dockerrun.ts) and the application bundle around
// it or instead of it — .ebextensions/*.config, saved configurations, env.yaml, the Procfile,
// cron.yaml (bundle.ts). A folder given to ferry import is read for those files (bundleFiles).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { importResult, notFormat } from '../common.ts';
import { isRecord, readSourceFile } from '../source.ts';
import type { ImportOptions, ImportResult } from '../types.ts';
import { importBundle, type BundleFile } from './bundle.ts';
import { importDockerrun } from './dockerrun.ts';
import { isProcfile, parseProcfile } from './procfile.ts';

const CONFIG_KEYS = ['option_settings', 'container_commands', 'Resources', 'packages', 'files', 'commands'];

/** What a parsed Beanstalk file is, by its name and content. */
export function beanstalkKind(file: string, value: unknown): BundleFile['kind'] | 'dockerrun' | undefined {
  if (isProcfile(file)) return 'procfile';
  if (!isRecord(value)) return undefined;
  if ('AWSEBDockerrunVersion' in value) return 'dockerrun';
  if (Array.isArray(value.cron) && (basename(file) === 'cron.yaml' || value.version !== undefined))
    return 'cron';
  if (isRecord(value.OptionSettings) || Array.isArray(value.OptionSettings))
    return basename(file) === 'env.yaml' ? 'env' : 'saved';
  if (/\.config$/.test(file) || CONFIG_KEYS.some((k) => k in value)) {
    // a compose or Kubernetes file is not a .ebextensions config, whatever keys it shares
    if ('services' in value || ('apiVersion' in value && 'kind' in value)) return undefined;
    return CONFIG_KEYS.some((k) => k in value) ? 'config' : undefined;
  }
  return undefined;
}

export async function importBeanstalk(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const dockerrun: string[] = [];
  const bundle: BundleFile[] = [];
  for (const f of files) {
    if (isProcfile(f)) {
      bundle.push({ kind: 'procfile', doc: parseProcfile(f, await readFile(f, 'utf8')) });
      continue;
    }
    const doc = (await readSourceFile(f)).docs[0];
    const kind = doc ? beanstalkKind(f, doc.value) : undefined;
    if (!doc || kind === undefined)
      throw notFormat(
        f,
        'not an Elastic Beanstalk file (Dockerrun.aws.json, .ebextensions/*.config, a saved configuration, env.yaml, Procfile or cron.yaml)',
        `${f} is not an Elastic Beanstalk file`,
      );
    if (kind === 'dockerrun') dockerrun.push(f);
    else bundle.push({ kind, doc });
  }
  const fromDockerrun = dockerrun.length > 0 ? await importDockerrun(dockerrun, opts) : undefined;
  if (bundle.length === 0 && fromDockerrun) return fromDockerrun;
  const services = fromDockerrun?.services ?? [];
  const used = new Set(services.map((s) => s.manifest.service));
  // the bundle's settings go to the Dockerrun's web container: the one with a port, or the first
  const base =
    services.find((s) => s.manifest.port !== undefined || s.manifest.ports !== undefined) ?? services[0];
  const app = importBundle(bundle, opts, used, base);
  return importResult(
    'beanstalk',
    files,
    [...services, ...app.services],
    [...(fromDockerrun?.report ?? []), ...app.entries],
    opts,
  );
}
