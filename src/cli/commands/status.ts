// `ferry status [--env <env>]`: services × environments × version × health (live) + last release (store).
import type { Command } from 'commander';
import { createPrinter, type GlobalOptions } from '../output.ts';
import { checkEnvironment, checkServices } from '../names.ts';
import { addClusterOptions, appRoot, openEngine, table, type ClusterFlags } from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
}

export function register(program: Command): void {
  addClusterOptions(
    program
      .command('status')
      .description('what runs where: version and health from the cluster, last release from the history')
      .argument('[service...]', 'services to show (default: all)')
      .option('-e, --env <env>', 'only this environment'),
  ).action(async (services: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const [{ loadApp }, { resolvePlatform }, { serviceEnvironments }, { Status }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../model/platform.ts'),
      import('../../model/resolve.ts'),
      import('../../engine/status.ts'),
    ]);
    const app = await loadApp(flags.dir ?? '.');
    const platform = resolvePlatform(app.platform.manifest, app.platform.file);
    if (flags.env) checkEnvironment(app, flags.env);
    checkServices(app, services);
    const targets = app.services
      .filter((s) => services.length === 0 || services.includes(s.name))
      .flatMap((s) =>
        serviceEnvironments(app, s)
          .filter((e) => !flags.env || e === flags.env)
          .flatMap((e) => {
            const env = platform.environments.find((x) => x.name === e);
            return env
              ? [{ service: s.name, environment: e, namespace: env.namespace, context: env.context }]
              : [];
          }),
      );
    const engine = await openEngine(
      appRoot(app, flags.dir ?? '.'),
      flags,
      printer,
      new AbortController().signal,
    );
    try {
      printer.progress(`checking ${targets.length} service${targets.length === 1 ? '' : 's'}…`);
      const rows = await new Status(engine.deps, targets).run();
      const s = printer.style;
      const colour = (h: string) =>
        h === 'healthy' ? s.green(h) : h === 'progressing' || h === 'missing' ? s.yellow(h) : s.red(h);
      printer.line(
        table(
          ['SERVICE', 'ENV', 'VERSION', 'HEALTH', 'READY', 'LAST RELEASE'],
          rows.map((r) => [
            r.service,
            r.environment,
            r.liveVersion ?? '-',
            colour(r.health),
            r.ready,
            r.release
              ? `${r.release.id} ${r.release.kind} ${r.release.version} ${r.release.outcome} ${r.release.at}`
              : '-',
          ]),
        ),
      );
      for (const r of rows)
        if (r.health === 'unknown') printer.note(`${r.service}/${r.environment}: ${r.message}`);
      printer.json({ services: rows });
    } finally {
      await engine.close();
    }
  });
}
