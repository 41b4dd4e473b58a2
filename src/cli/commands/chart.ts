// `ferry chart [service…] --out <dir> [--tag v]`: a Helm chart per service with
// values.<env>.yaml for every environment it runs in (Preply's layout). `helm template <dir>/<svc>
// -f values.<env>.yaml --set-string image.tag=<v>` renders what `ferry render --env <env>` does.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { createPrinter, type GlobalOptions } from '../output.ts';

interface Flags extends GlobalOptions {
  out?: string;
  tag?: string;
}

export function register(program: Command): void {
  program
    .command('chart')
    .description('write a Helm chart per service, with values.<env>.yaml for every environment')
    .argument('[service...]', 'services (default: every service)')
    .option('--out <dir>', 'where to write <service>/Chart.yaml …', 'charts')
    .option('--tag <version>', 'the default image tag (version) in values.yaml', 'latest')
    .action(async (services: string[], _flags: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<Flags>();
      const out = createPrinter(g);
      const { loadApp } = await import('../../manifest/load.ts');
      const { checkVersion, resolveWorkload, serviceEnvironments } = await import('../../model/resolve.ts');
      // the tag becomes appVersion and the image tag: the same rule (and error) as render's version
      checkVersion(g.tag ?? 'latest');
      const { renderHelmChart, VERSION_SENTINEL } = await import('../../render/helm/chart.ts');
      const app = await loadApp(g.dir ?? '.');
      const names = app.services.map((s) => s.name);
      for (const s of services)
        if (!names.includes(s))
          throw usageError('E_UNKNOWN_SERVICE', `unknown service "${s}"`, `services: ${names.join(', ')}`);
      const written: string[] = [];
      for (const s of app.services) {
        if (services.length > 0 && !services.includes(s.name)) continue;
        const byEnv = new Map(
          serviceEnvironments(app, s).map((e) => [e, resolveWorkload(app, s.name, e, VERSION_SENTINEL)]),
        );
        if (byEnv.size === 0) continue;
        for (const f of renderHelmChart(byEnv, g.tag ?? 'latest')) {
          const p = join(g.out ?? 'charts', s.name, f.path);
          await mkdir(dirname(p), { recursive: true });
          await writeFile(p, f.content);
          written.push(p);
        }
        out.line(
          `wrote ${join(g.out ?? 'charts', s.name)} (${[...byEnv.keys()].map((e) => `values.${e}.yaml`).join(', ')})`,
        );
      }
      out.json({ files: written });
    });
}
