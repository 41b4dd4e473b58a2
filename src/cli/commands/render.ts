// `ferry render [service…] --env <env> [--version <v>] [--target kubernetes] [-o yaml|json]`
// Prints what ferry would apply for one environment: a multi-document YAML stream (default) or one
// JSON document (for kubernetes a v1 List). The version is --version, or per service as
// `service:version`; without either the placeholder 0.0.0-dev is used.
import { cliIo } from '../io.ts';
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { checkEnvironment, checkServices } from '../../model/names.ts';
import { DEFAULT_TARGET, loadTarget, targetNames } from '../../render/targets.ts';

export const DEV_VERSION = '0.0.0-dev';

export interface RenderCommandOptions {
  dir: string;
  services: readonly string[];
  env: string | undefined;
  version: string | undefined;
  target: string;
  output: string;
  jobs: boolean;
  /** where the target's warnings go (default: stderr, "warning: …" lines) */
  warn?: (line: string) => void;
}

function outputFormat(o: string): 'yaml' | 'json' {
  if (o === 'json') return 'json';
  if (o === 'yaml' || o === 'text') return 'yaml';
  throw usageError('E_USAGE', `unknown output format "${o}"`, 'use -o yaml (the default) or -o json');
}

/** Renders and returns the text to print. Unknown names are usage errors (exit 2). */
export async function renderCommand(o: RenderCommandOptions): Promise<string> {
  const format = outputFormat(o.output);
  // loaded here, not at the top: every command module is imported when the CLI starts
  const [{ loadApp }, { didYouMean }, { listWorkloads }, { toJson, toYamlStream }] = await Promise.all([
    import('../../manifest/load.ts'),
    import('../../manifest/suggest.ts'),
    import('../../model/resolve.ts'),
    import('../../render/serialize.ts'),
  ]);
  const target = await loadTarget(o.target);
  if (!target) {
    throw usageError(
      'E_UNKNOWN_TARGET',
      `unknown target "${o.target}"`,
      didYouMean(o.target, targetNames(), 'targets'),
    );
  }
  const app = await loadApp(o.dir);
  if (o.env === undefined) {
    const envNames = Object.keys(app.platform.manifest.environments);
    throw usageError(
      'E_USAGE',
      'which environment? pass --env <name>',
      `environments: ${envNames.join(', ')}`,
    );
  }
  const env = o.env;
  const fallback = o.version ?? DEV_VERSION;
  // `hcn:1.2.0` names a service at a version (as ANNA's `deploy-app.sh -e test hcn:1.0.0` did)
  const pinned = o.services.map((arg) => {
    const i = arg.indexOf(':');
    return i < 0
      ? { service: arg, version: fallback }
      : { service: arg.slice(0, i), version: arg.slice(i + 1) };
  });
  checkEnvironment(app, env);
  checkServices(
    app,
    pinned.map((p) => p.service),
  );
  const versionOf = new Map<string, string>();
  for (const p of pinned) {
    const seen = versionOf.get(p.service);
    if (seen !== undefined && seen !== p.version) {
      throw usageError(
        'E_USAGE',
        `service "${p.service}" is given twice, at ${seen} and at ${p.version}`,
        'name each service once',
      );
    }
    versionOf.set(p.service, p.version);
  }
  const workloads =
    pinned.length === 0
      ? listWorkloads(app, env, fallback)
      : [...versionOf]
          .flatMap(([service, version]) => listWorkloads(app, env, version, [service]))
          .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  const first = workloads[0];
  if (!first) {
    throw usageError(
      'E_NOTHING_TO_RENDER',
      `no service runs in environment "${o.env}"`,
      'list the environment under `environments:` in the service’s ferry.yaml',
    );
  }
  const docs = target.render(first.environment, workloads, { jobs: o.jobs });
  const warnings = target.warnings?.(first.environment, workloads) ?? [];
  const warn = o.warn ?? ((line: string) => cliIo().stderr.write(`warning: ${line}\n`));
  for (const w of warnings) warn(w);
  if (format === 'yaml') return toYamlStream(docs);
  const json = target.toJson(docs);
  return toJson(
    warnings.length > 0 && typeof json === 'object' && json !== null && !Array.isArray(json)
      ? { ...json, warnings }
      : json,
  );
}

interface Flags {
  env?: string;
  version?: string;
  target: string;
  output?: string;
  jobs: boolean;
  dir?: string;
}

export function register(program: Command): void {
  program
    .command('render')
    .description('print the objects ferry would apply for an environment')
    .argument(
      '[service...]',
      'services to render, each optionally as service:version (default: every service)',
    )
    .option('-e, --env <env>', 'the environment to render')
    .option('--version <version>', `the version (image tag) to render (default: ${DEV_VERSION})`)
    .option('-t, --target <target>', `what to render for: ${targetNames().join(', ')}`, DEFAULT_TARGET)
    .option('--no-jobs', 'leave out the migration and check Jobs the engine runs around a rollout')
    .action(async (services: string[], _flags: Flags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<Flags>();
      const text = await renderCommand({
        dir: flags.dir ?? '.',
        services,
        env: flags.env,
        version: flags.version,
        target: flags.target,
        output: flags.output ?? 'yaml',
        jobs: flags.jobs,
      });
      cliIo().stdout.write(text);
    });
}
