// Small conversions shared by the importers.
import { InvalidInputError } from '../errors.ts';
import { formatDuration } from '../model/duration.ts';
import type { ReportEntry, Reporter } from './report.ts';
import { isRecord, readSourceFile, type KeyPath, type SourceDoc } from './source.ts';
import type { Format, ImportOptions, ImportResult, ImportedService } from './types.ts';

/** A name an environment variable may have (what Kubernetes accepts). */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A `[{name, value}, …]` list (ECS, Chronos) at `at` → ferry's env, each entry reported; undefined when empty. */
export function nameValueEnv(
  list: readonly unknown[],
  at: KeyPath,
  service: string,
  report: Reporter,
): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  list.forEach((e, i) => {
    if (isRecord(e) && typeof e.name === 'string' && ENV_NAME.test(e.name)) {
      env[e.name] = String(e.value ?? '');
      report.mapped(service, [...at, i], `env.${e.name}`);
    } else report.dropped(service, [...at, i], 'not a {name, value} pair');
  });
  return Object.keys(env).length > 0 ? sortRecord(env) : undefined;
}

export function sortRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Marathon/Chronos/ECS cores (0.5, "0.1") → a ferry CPU value (0.5 → "500m", 2 → 2). */
export function coresToCpu(v: unknown): string | number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const millis = Math.max(1, Math.round(n * 1000));
  return millis % 1000 === 0 ? millis / 1000 : `${millis}m`;
}

/** Marathon/Chronos/ECS memory in MiB (64, "32", 65.5) → "64Mi" (rounded up to whole MiB). */
export function mibToMemory(v: unknown): string | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const mib = Math.ceil(n);
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

/** Whole seconds → a ferry duration ("30s", "1m", "1h30m"). */
export function secondsToDuration(v: unknown): string | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return formatDuration(n);
}

/** ISO-8601 duration "PT30M", "P1DT2H", "PT0.5S" → seconds. */
export function isoDurationSeconds(text: string): number | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (!m || text.trim() === 'P' || text.trim() === 'PT') return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (
    (y ?? 0) * 365 * 86400 +
    (mo ?? 0) * 30 * 86400 +
    (w ?? 0) * 7 * 86400 +
    (d ?? 0) * 86400 +
    (h ?? 0) * 3600 +
    (mi ?? 0) * 60 +
    (s ?? 0)
  );
}

/** `name`, or `<base>-2`, `<base>-3` … when it is taken; the result is marked taken. */
export function claimName(used: Set<string>, name: string, base: string = name): string {
  let n = name;
  for (let i = 2; used.has(n); i++) n = `${base}-${i}`;
  used.add(n);
  return n;
}

/** The error of a file that is not in the format asked for, located at its start. */
export function notFormat(file: string, message: string, summary: string): InvalidInputError {
  return new InvalidInputError([{ path: '', message, loc: { file, line: 1, col: 1 } }], summary);
}

/** The first document of `file` and what `find` sees in it; notFormat(file, message, summary) when
 *  there is no document or `find` sees nothing. */
export async function readFirstDoc<T>(
  file: string,
  find: (value: unknown) => T | undefined,
  message: string,
  summary: string,
): Promise<{ doc: SourceDoc; found: T }> {
  const doc = (await readSourceFile(file)).docs[0];
  const found = doc ? find(doc.value) : undefined;
  if (!doc || found === undefined) throw notFormat(file, message, summary);
  return { doc, found };
}

/** An importer's result: services sorted by name, a platform declaring the one environment. */
/** The domain a new platform file gives routes that name no host, until the user sets theirs. */
export const PLACEHOLDER_DOMAIN = 'example.com';

export function importResult(
  format: Format,
  files: readonly string[],
  services: ImportedService[],
  report: ReportEntry[],
  opts: ImportOptions,
): ImportResult {
  const env = opts.environment ?? 'prod';
  // A route without a host is served at <service>.<domain>: the environment needs a domain.
  const hostless = services
    .filter((s) => (s.manifest.routes ?? []).some((r) => r.host === undefined))
    .map((s) => s.manifest.service);
  const entries = [...report];
  if (hostless.length > 0)
    entries.push({
      service: '',
      path: `(ferry.platform.yaml) environments.${env}.domain`,
      outcome: 'approximated',
      to: `environments.${env}.domain`,
      note: `routes of ${hostless.join(', ')} name no host: a new ferry.platform.yaml says domain: ${PLACEHOLDER_DOMAIN} so they are served at <service>.${PLACEHOLDER_DOMAIN} — set your domain`,
      blocking: true,
    });
  return {
    format,
    files: [...files],
    services: services.sort((a, b) => a.manifest.service.localeCompare(b.manifest.service)),
    platform: { environments: { [env]: hostless.length > 0 ? { domain: PLACEHOLDER_DOMAIN } : {} } },
    report: entries,
  };
}
