// `ferry init`: a starter ferry.yaml (and ferry.platform.yaml when there is none up the tree:
// then at the repository's root in a monorepo, listing the folder), each with a first line
// pointing editors at the JSON Schema (the https URL, or a relative path inside the ferry
// checkout). The starter is checked before anything is written; never overwrites without --force.
import { cliIo } from '../io.ts';
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError, usageError } from '../../errors.ts';
import { SCHEMA_BASE } from '../../manifest/json-schema.ts';
import { createPrinter, displayPath, type GlobalOptions } from '../output.ts';

/** schema/ of this ferry checkout: src/cli/commands and dist/cli/commands are both 3 levels deep. */
export const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema');

export interface InitOptions {
  dir: string;
  service?: string | undefined;
  image?: string | undefined;
  port?: number | undefined;
  force?: boolean | undefined;
}

export interface InitResult {
  written: string[];
  service: string;
  environments: string[];
  /** things the user should do next, e.g. list the folder in the platform's services */
  notes: string[];
}

function findUp(start: string, name: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Relative inside this ferry checkout (examples, tests); elsewhere the published https URL —
 * never a local absolute path, which breaks for every teammate (`ferry import` writes the same).
 */
export function schemaLine(fileDir: string, schema: string): string {
  const target = join(SCHEMA_DIR, schema);
  const inside = !relative(dirname(SCHEMA_DIR), fileDir).startsWith('..');
  const ref = inside ? relative(fileDir, target).split('\\').join('/') : `${SCHEMA_BASE}/${schema}`;
  return `# yaml-language-server: $schema=${ref}`;
}

/** The repository root above `dir` (the nearest folder with .git), if any. */
function repositoryRoot(dir: string): string | undefined {
  const git = findUp(dir, '.git');
  return git === undefined ? undefined : dirname(git);
}

/** A DNS label from a folder name: "My_App" → "my-app". */
export function serviceNameFrom(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s === '' ? 'app' : s;
}

export function serviceYaml(o: {
  dir: string;
  service: string;
  image: string;
  port: number;
  envs: string[];
}): string {
  const sizes = ['{ instances: 1 }', '{ instances: 2 }'];
  return [
    schemaLine(o.dir, 'ferry.schema.json'),
    '# A ferry service manifest. Every field and its default: docs/manifest.md in the ferry repository.',
    `service: ${o.service}`,
    `image: ${o.image} # no tag: the version is given at deploy time`,
    `port: ${o.port}`,
    'health: /healthz',
    'resources: { cpu: 500m, memory: 512Mi } # limits; requests come from the platform policy',
    'env:',
    "  LOG_TAG: '${service}-${env}'",
    'environments:',
    ...o.envs.map((e, i) => `  ${e}: ${sizes[Math.min(i, sizes.length - 1)] ?? '{}'}`),
    '',
  ].join('\n');
}

export function platformYaml(dir: string, services = '.'): string {
  return [
    schemaLine(dir, 'ferry.platform.schema.json'),
    '# The ferry platform file: environments, previews and policy for every service listed below.',
    `services: ['${services}'] # folders holding a ferry.yaml, or globs such as 'services/*'`,
    'environments:',
    '  staging: { namespace: staging }',
    '  production: { namespace: production, protected: true }',
    'policy:',
    '  cpuRequestRatio: 0.25 # CPU request = limit × 0.25: no throttling from requests = limits',
    '  memoryRequestRatio: 1.0',
    '  cronConcurrency: forbid # a cron run never overlaps the previous one',
    '',
  ].join('\n');
}

export async function init(o: InitOptions): Promise<InitResult> {
  const dir = resolve(o.dir);
  if (!existsSync(dir)) throw usageError('E_NOT_FOUND', `${o.dir} does not exist`, 'create the folder first');
  const service = o.service ?? serviceNameFrom(basename(dir));
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(service)) {
    throw usageError(
      'E_USAGE',
      `"${service}" is not a valid service name`,
      'a lowercase DNS label, e.g. billing-api',
    );
  }
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) {
    throw usageError('E_USAGE', `--port ${String(o.port)} is not a port number`, 'use 1 to 65535');
  }
  const serviceFile = join(dir, 'ferry.yaml');
  if (existsSync(serviceFile) && !o.force) {
    throw new FerryError('E_EXISTS', `${relative(cliIo().cwd, serviceFile) || serviceFile} already exists`, {
      hint: 'pass --force to overwrite it',
    });
  }
  const { appFromTexts } = await import('../../manifest/memory.ts');
  const { checkApp } = await import('../../model/check.ts');
  const existingPlatform = findUp(dir, 'ferry.platform.yaml');
  // no platform file up the tree: in a monorepo it goes to the repository's root, listing this
  // folder, so the next service's `ferry init` finds it instead of writing a second one
  const root = existingPlatform ? dirname(existingPlatform) : (repositoryRoot(dir) ?? dir);
  const platformFile = existingPlatform ?? join(root, 'ferry.platform.yaml');
  const folder = relative(root, dir).split('\\').join('/') || '.';
  const platformText = existingPlatform ? readFileSync(existingPlatform, 'utf8') : platformYaml(root, folder);
  const image = o.image ?? `registry.example.com/${service}`;
  const { parsePlatformManifest } = await import('../../manifest/parse.ts');
  const envs = Object.keys(parsePlatformManifest(platformText, platformFile).manifest.environments);
  const serviceText = serviceYaml({ dir, service, image, port: o.port ?? 8080, envs });
  // the starter must validate before anything is written: the same checks as `ferry validate`,
  // on this service and the platform only (other services' problems are not init's to report)
  checkApp(
    appFromTexts({ file: platformFile, text: platformText }, [{ file: serviceFile, text: serviceText }]),
  );
  const written: string[] = [];
  writeFileSync(serviceFile, serviceText);
  written.push(serviceFile);
  if (!existingPlatform) {
    writeFileSync(platformFile, platformText);
    written.push(platformFile);
  }
  const notes = (await listsFolder(platformFile, platformText, dir))
    ? []
    : [
        `${displayPath(platformFile)} does not list ${displayPath(dir)} in services: add '${folder}' (or a glob matching it) so ferry sees the service`,
      ];
  return { written, service, environments: envs, notes };
}

/** True when the platform file's `services:` entries name `dir` (a folder, a glob, or its ferry.yaml). */
async function listsFolder(platformFile: string, text: string, dir: string): Promise<boolean> {
  const { parsePlatformManifest } = await import('../../manifest/parse.ts');
  const { globDirs, hasGlob } = await import('../../manifest/glob.ts');
  const root = dirname(platformFile);
  const entries = parsePlatformManifest(text, platformFile).manifest.services ?? ['.'];
  return entries.some((e) => {
    if (/\.ya?ml$/.test(e) && !hasGlob(e)) return resolve(root, e) === join(dir, 'ferry.yaml');
    return hasGlob(e) ? globDirs(root, e).includes(dir) : resolve(root, e) === dir;
  });
}

/** The --port flag's text as a port number (1 to 65535, decimal digits only); the error echoes the text. */
export function parsePort(text: string): number {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw usageError('E_USAGE', `--port ${text} is not a port number`, 'use 1 to 65535');
  return n;
}

interface Flags {
  service?: string;
  image?: string;
  port?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('write a starter ferry.yaml (and ferry.platform.yaml when there is none)')
    .option('--service <name>', 'service name (default: the folder name)')
    .option('--image <repository>', 'image repository, without a tag')
    .option('--port <n>', 'the port the service listens on (default 8080)')
    .option('--force', 'overwrite an existing ferry.yaml')
    .action(async (flags: Flags, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const out = createPrinter(g);
      const port = flags.port === undefined ? undefined : parsePort(flags.port);
      const r = await init({
        dir: g.dir ?? '.',
        service: flags.service,
        image: flags.image,
        port,
        force: flags.force,
      });
      const files = r.written.map(displayPath);
      out.json({ written: files, service: r.service, environments: r.environments, notes: r.notes });
      for (const f of files) out.line(`wrote ${f}`);
      for (const n of r.notes) out.note(`note: ${n}`);
      out.line(`next: edit it, then run ${out.style.bold('ferry validate')}`);
    });
}
