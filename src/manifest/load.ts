// Finds and loads the app: ferry.platform.yaml (walking up from where we are) and every
// service's ferry.yaml it lists. All problems of all files are reported at once.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { FerryError, InvalidInputError, type Issue } from '../errors.ts';
import { checkAfter } from './after.ts';
import { globDirs, hasGlob } from './glob.ts';
import { formatPath, type KeyPath, type Locate } from './locate.ts';
import { parsePlatformManifest, parseServiceManifest, parseYaml, sortIssues } from './parse.ts';
import { salvage } from './salvage.ts';
import {
  platformSchema,
  serviceManifestSchema,
  type PlatformManifest,
  type ServiceManifest,
} from './schema.ts';
import { didYouMean } from './suggest.ts';

export type { KeyPath, Locate };

export const SERVICE_FILE = 'ferry.yaml';
export const PLATFORM_FILE = 'ferry.platform.yaml';

export interface LoadedPlatform {
  /** absolute path, or undefined when a lone ferry.yaml is used with platform defaults */
  file: string | undefined;
  manifest: PlatformManifest;
  text: string;
  locate: Locate;
  /** only the valid part of a file that failed its schema (loadAppForCheck) */
  salvaged?: boolean;
}

export interface LoadedService {
  name: string;
  /** absolute path of its ferry.yaml */
  file: string;
  manifest: ServiceManifest;
  text: string;
  locate: Locate;
  /** only the valid part of a file that failed its schema (loadAppForCheck) */
  salvaged?: boolean;
}

export interface LoadedApp {
  platform: LoadedPlatform;
  /** sorted by name */
  services: readonly LoadedService[];
}

const nowhere: Locate = () => undefined;

function issueAt(
  locate: Locate,
  path: KeyPath,
  message: string,
  hint?: string,
  at: 'key' | 'value' = 'value',
): Issue {
  const loc = locate(path, at);
  return { path: formatPath(path), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new FerryError(
      'E_READ',
      `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** `name` in `start` or the nearest folder above it (how loadApp finds ferry.platform.yaml). */
export function findUp(start: string, name: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Collects InvalidInputErrors per file so one run reports every file's problems. */
class Problems {
  readonly issues: Issue[] = [];
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof InvalidInputError) {
        this.issues.push(...err.issues);
        return undefined;
      }
      throw err;
    }
  }
  throwIfAny(): void {
    if (this.issues.length > 0) throw new InvalidInputError(sortIssues(this.issues));
  }
}

/** What the cross-file checks need of a service, even one whose schema check failed. */
interface ServiceRefs {
  name: string | undefined;
  file: string;
  environments: string[];
  declaresEnvironments: boolean;
  locate: Locate;
}

function loadService(
  file: string,
  problems: Problems,
  refs: ServiceRefs[],
  salvaging = false,
): LoadedService | undefined {
  const text = readText(file);
  const parsed = problems.attempt(() => parseServiceManifest(text, file));
  if (!parsed) {
    // still check its environment names and service name against the others: all problems at once
    const raw = parseYaml(text, file, true);
    const v = raw.value;
    const part = salvaging && raw.issues.length === 0 ? salvage(serviceManifestSchema, v) : undefined;
    if (part) {
      refs.push({
        name: part.service,
        file,
        environments: Object.keys(part.environments ?? {}),
        declaresEnvironments: false,
        locate: raw.locate,
      });
      return { name: part.service, file, manifest: part, text, locate: raw.locate, salvaged: true };
    }
    if (raw.issues.length === 0 && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const rec = v as Record<string, unknown>;
      const envs = rec['environments'];
      refs.push({
        name: typeof rec['service'] === 'string' ? rec['service'] : undefined,
        file,
        environments:
          envs !== null && typeof envs === 'object' && !Array.isArray(envs) ? Object.keys(envs) : [],
        declaresEnvironments: false,
        locate: raw.locate,
      });
    }
    return undefined;
  }
  const m = parsed.manifest;
  refs.push({
    name: m.service,
    file,
    environments: Object.keys(m.environments ?? {}),
    declaresEnvironments: m.environments !== undefined,
    locate: parsed.locate,
  });
  return { name: m.service, file, manifest: m, text, locate: parsed.locate };
}

/** The service files a platform file lists, in order, deduplicated. */
function serviceFiles(platform: LoadedPlatform, root: string, problems: Problems): string[] {
  const entries = platform.manifest.services ?? ['.'];
  const files: string[] = [];
  entries.forEach((entry, i) => {
    if (/\.ya?ml$/.test(entry) && !hasGlob(entry)) {
      const f = resolve(root, entry);
      if (existsSync(f)) files.push(f);
      else problems.issues.push(issueAt(platform.locate, ['services', i], `${entry} does not exist`));
      return;
    }
    const dirs = hasGlob(entry) ? globDirs(root, entry) : [resolve(root, entry)];
    const found = dirs.map((d) => join(d, SERVICE_FILE)).filter((f) => existsSync(f));
    if (found.length === 0) {
      problems.issues.push(
        issueAt(
          platform.locate,
          ['services', i],
          hasGlob(entry)
            ? `"${entry}" matches no folder holding a ${SERVICE_FILE}`
            : `no ${SERVICE_FILE} in ${relative(process.cwd(), resolve(root, entry)) || '.'}`,
          `run \`ferry init\` in the service folder, or fix the path (relative to ${PLATFORM_FILE})`,
        ),
      );
    }
    files.push(...found);
  });
  return [...new Set(files)];
}

/** Checks that need more than one file: environment names, previews.from, unique service names. */
function crossCheck(platform: LoadedPlatform, services: readonly ServiceRefs[], problems: Problems): void {
  const envNames = Object.keys(platform.manifest.environments);
  const from = platform.manifest.previews?.from;
  if (from !== undefined && !envNames.includes(from)) {
    problems.issues.push(
      issueAt(
        platform.locate,
        ['previews', 'from'],
        `previews.from names environment "${from}", which the platform does not define`,
        didYouMean(from, envNames, 'environments'),
      ),
    );
  }
  const seen = new Map<string, ServiceRefs>();
  for (const s of services) {
    const first = s.name === undefined ? undefined : seen.get(s.name);
    if (s.name === undefined) {
      // no valid name: its schema problems are reported already
    } else if (first) {
      problems.issues.push(
        issueAt(
          s.locate,
          ['service'],
          `service name "${s.name}" is also used by ${relative(process.cwd(), first.file)}`,
          'service names must be unique in the platform',
        ),
      );
    } else seen.set(s.name, s);
    if (s.declaresEnvironments && s.environments.length === 0) {
      problems.issues.push(
        issueAt(
          s.locate,
          ['environments'],
          'environments is empty, so the service runs nowhere',
          'remove the key to run in every platform environment, or name the environments',
        ),
      );
    }
    if (platform.file === undefined) continue;
    for (const env of s.environments) {
      if (!envNames.includes(env)) {
        problems.issues.push(
          issueAt(
            s.locate,
            ['environments', env],
            `environment "${env}" is not defined in ${relative(process.cwd(), platform.file)}`,
            didYouMean(env, envNames, 'environments'),
            'key',
          ),
        );
      }
    }
  }
}

function loadPlatform(file: string, problems: Problems, salvaging = false): LoadedPlatform | undefined {
  const text = readText(file);
  const parsed = problems.attempt(() => parsePlatformManifest(text, file));
  if (parsed) return { file, manifest: parsed.manifest, text, locate: parsed.locate };
  const raw = salvaging ? parseYaml(text, file, true) : undefined;
  const part = raw && raw.issues.length === 0 ? salvage(platformSchema, raw.value) : undefined;
  return part && raw ? { file, manifest: part, text, locate: raw.locate, salvaged: true } : undefined;
}

/** Platform defaults for a lone ferry.yaml: its own environments, or one called "default". */
function implicitPlatform(service: ServiceManifest): LoadedPlatform {
  const names = Object.keys(service.environments ?? {});
  const environments = Object.fromEntries((names.length > 0 ? names : ['default']).map((n) => [n, null]));
  return { file: undefined, manifest: { environments }, text: '', locate: nowhere };
}

/** `from` is a directory or a file (ferry.yaml or ferry.platform.yaml). */
export async function loadApp(from: string): Promise<LoadedApp> {
  return (await loadWith(from, false)).app!;
}

/**
 * Like loadApp, but a file that fails its schema still gives its valid part (marked `salvaged`),
 * so the model's checks can run on it in the same round: every problem found, and the app, or
 * undefined when nothing could be salvaged.
 */
export async function loadAppForCheck(
  from: string,
): Promise<{ app: LoadedApp | undefined; issues: Issue[] }> {
  return loadWith(from, true);
}

async function loadWith(
  from: string,
  salvaging: boolean,
): Promise<{ app: LoadedApp | undefined; issues: Issue[] }> {
  const abs = resolve(from);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new FerryError('E_NOT_FOUND', `${from} does not exist`, {
      hint: 'give a folder holding ferry.yaml or ferry.platform.yaml',
    });
  }
  const dir = stat.isDirectory() ? abs : dirname(abs);
  const problems = new Problems();
  const platformFile = stat.isFile() && basename(abs) === PLATFORM_FILE ? abs : findUp(dir, PLATFORM_FILE);
  const loneFile = stat.isFile() && basename(abs) !== PLATFORM_FILE ? abs : join(dir, SERVICE_FILE);

  if (platformFile === undefined) {
    if (!existsSync(loneFile)) {
      throw new FerryError('E_NO_MANIFEST', `no ${SERVICE_FILE} or ${PLATFORM_FILE} in ${from} or above`, {
        hint: 'run `ferry init` to write a starter ferry.yaml, or pass -C <folder>',
      });
    }
    const refs: ServiceRefs[] = [];
    const service = loadService(loneFile, problems, refs, salvaging);
    if (service) crossCheck(implicitPlatform(service.manifest), refs, problems);
    if (service) problems.issues.push(...checkAfter([service]));
    if (!salvaging || !service) problems.throwIfAny();
    const s = service!;
    return {
      app: { platform: implicitPlatform(s.manifest), services: [s] },
      issues: sortIssues(problems.issues),
    };
  }

  const platform = loadPlatform(platformFile, problems, salvaging);
  if (!platform) {
    // the platform file is invalid: still report the services' own problems, all at once
    const raw = parseYaml(readText(platformFile), platformFile, true);
    const v = raw.value as { services?: unknown } | null | undefined;
    const list = v && typeof v === 'object' && Array.isArray(v.services) ? v.services : ['.'];
    if (raw.issues.length === 0 && list.every((e) => typeof e === 'string')) {
      const stand: LoadedPlatform = {
        file: platformFile,
        manifest: { services: list as string[], environments: {} },
        text: '',
        locate: raw.locate,
      };
      const scratch = new Problems();
      for (const f of serviceFiles(stand, dirname(platformFile), scratch)) loadService(f, problems, []);
    }
    problems.throwIfAny();
  }
  const p = platform!;
  const files = serviceFiles(p, dirname(platformFile), problems);
  if (stat.isFile() && basename(abs) !== PLATFORM_FILE && !files.includes(abs)) {
    problems.issues.push(
      issueAt(
        p.locate,
        ['services'],
        `${relative(process.cwd(), abs)} is not listed in services of ${relative(process.cwd(), platformFile)}`,
        'add its folder to `services:`',
      ),
    );
  }
  const services: LoadedService[] = [];
  const refs: ServiceRefs[] = [];
  for (const f of files) {
    const s = loadService(f, problems, refs, salvaging);
    if (s) services.push(s);
  }
  const byName = (
    a: { name?: string | undefined; file: string },
    b: { name?: string | undefined; file: string },
  ) =>
    (a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : a.file < b.file ? -1 : 1;
  services.sort(byName);
  problems.issues.push(...checkAfter(services));
  crossCheck(p, refs.sort(byName), problems);
  if (!salvaging) problems.throwIfAny();
  return { app: { platform: p, services }, issues: sortIssues(problems.issues) };
}
