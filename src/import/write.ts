// Writes an import: <out>/<service>/ferry.yaml for each service, <out>/ferry.platform.yaml when
// no platform file is found in <out> or above (the walk-up loadApp does), and
// <out>/ferry-import-report.json. Manifests are validated against the schema first.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { FerryError } from '../errors.ts';
import { SCHEMA_BASE } from '../manifest/json-schema.ts';
import { findUp, PLATFORM_FILE } from '../manifest/load.ts';
import { platformSchema, serviceManifestSchema, type ServiceManifest } from '../manifest/schema.ts';
import { sortEntries, summarize } from './report.ts';
import type { ImportResult } from './types.ts';

const KEY_ORDER = [
  'service',
  'image',
  'command',
  'args',
  'port',
  'ports',
  'health',
  'instances',
  'resources',
  'env',
  'secrets',
  'features',
  'migrations',
  'crons',
  'routes',
  'checks',
  'alerts',
  'volumes',
  'stateful',
  'files',
  'autoscale',
  'placement',
  'environments',
];

/** KEY_ORDER first, then any other field in the order it was set (none is ever left out). */
function ordered(m: ServiceManifest): Record<string, unknown> {
  const rec = m as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (rec[k] !== undefined) out[k] = rec[k];
  for (const [k, v] of Object.entries(rec))
    if (v !== undefined && !(k in out) && k !== 'environments') out[k] = v;
  if (rec.environments !== undefined) out.environments = rec.environments;
  return out;
}

/** The text of one imported ferry.yaml. */
export function manifestText(m: ServiceManifest, header: readonly string[] = []): string {
  const lines = [
    `# yaml-language-server: $schema=${SCHEMA_BASE}/ferry.schema.json`,
    ...header.map((h) => `# ${h}`),
  ];
  return `${lines.join('\n')}\n${stringify(ordered(m), { lineWidth: 0 })}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export interface WrittenImport {
  out: string;
  manifests: string[];
  /** the platform file written, or undefined when one was found in <out> or above */
  platform: string | undefined;
  /** the existing platform file the services belong to, when one was found */
  existingPlatform: string | undefined;
  report: string;
  /** what the user must add to the existing platform file */
  warnings: string[];
}

/** Environments the import uses that the existing platform file does not declare. */
async function missingEnvironments(result: ImportResult, platformFile: string): Promise<string[]> {
  const wanted = Object.keys(result.platform.environments ?? {});
  let declared: string[] = [];
  try {
    const doc = parse(await readFile(platformFile, 'utf8')) as { environments?: unknown } | null;
    const envs = doc?.environments;
    if (typeof envs === 'object' && envs !== null) declared = Object.keys(envs);
  } catch {
    return []; // an unreadable platform file: `ferry validate` reports it
  }
  return wanted.filter((e) => !declared.includes(e));
}

export async function writeImport(
  result: ImportResult,
  out: string,
  opts: { force?: boolean } = {},
): Promise<WrittenImport> {
  for (const s of result.services) {
    const v = serviceManifestSchema.safeParse(s.manifest);
    if (!v.success)
      throw new FerryError(
        'E_IMPORT_INVALID',
        `the imported manifest of ${s.manifest.service} does not validate: ${v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        {
          hint: 'this is a bug in ferry import; please report it with the input file',
        },
      );
  }
  if (!opts.force) {
    const clash: string[] = [];
    for (const s of result.services) {
      const p = join(out, s.manifest.service, 'ferry.yaml');
      if (await exists(p)) clash.push(p);
    }
    if (clash.length > 0)
      throw new FerryError('E_IMPORT_EXISTS', `would overwrite ${clash.join(', ')}`, {
        hint: 'pass --force, or choose another --out',
      });
  }
  const manifests: string[] = [];
  const sources = result.files.join(', ');
  for (const s of result.services) {
    const dir = join(out, s.manifest.service);
    await mkdir(dir, { recursive: true });
    const header = [
      `imported by ferry import from ${sources} (${result.format}); see ferry-import-report.json`,
    ];
    if (s.version !== undefined)
      header.push(`the source ran tag ${s.version}: ferry deploy ${s.manifest.service}:${s.version}`);
    const p = join(dir, 'ferry.yaml');
    await writeFile(p, manifestText(s.manifest, header));
    manifests.push(p);
  }
  let platform: string | undefined;
  const warnings: string[] = [];
  // inside an existing project the services belong to its platform file: a nested one would
  // take over (loadApp walks up from the service and stops at the first it finds)
  const existingPlatform = findUp(resolve(out), PLATFORM_FILE);
  const pp = join(out, PLATFORM_FILE);
  if (existingPlatform !== undefined) {
    const missing = await missingEnvironments(result, existingPlatform);
    if (missing.length > 0)
      warnings.push(
        `${relative(process.cwd(), existingPlatform) || PLATFORM_FILE} has no environment ${missing.join(', ')}: add it under environments: (${missing.map((e) => `${e}: {}`).join(', ')}) so the imported services can run there`,
      );
  } else {
    const manifest = platformSchema.parse({ services: ['*'], ...result.platform });
    await writeFile(
      pp,
      `# yaml-language-server: $schema=${SCHEMA_BASE}/ferry.platform.schema.json\n${stringify(manifest, { lineWidth: 0 })}`,
    );
    platform = pp;
  }
  const report = join(out, 'ferry-import-report.json');
  await writeFile(report, `${JSON.stringify(reportJson(result), null, 2)}\n`);
  return { out, manifests, platform, existingPlatform, report, warnings };
}

/** The machine-readable result of an import (also `ferry import -o json`). */
export function reportJson(result: ImportResult): Record<string, unknown> {
  return {
    format: result.format,
    files: result.files,
    services: result.services.map((s) => ({
      name: s.manifest.service,
      version: s.version ?? null,
      manifest: s.manifest,
    })),
    summary: summarize(result.report),
    report: sortEntries(result.report),
  };
}
