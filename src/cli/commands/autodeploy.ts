// `ferry autodeploy status [service] [--env <env>]` and `ferry autodeploy resume <service> --env
// <env>`: which policy each service follows where, what runs, whether a rollback or a failed
// release paused it (and by which version); resume lifts a pause (recorded in the audit). With
// --server (FERRY_SERVER) both ask the team server (GET /api/v1/autodeploy, POST …/resume).
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import type { AutoDeployStatus } from '../../engine/actions/autodeploy.ts';
import { cliIo } from '../io.ts';
import { createPrinter, workDir, type GlobalOptions, type Printer } from '../output.ts';
import {
  addClusterOptions,
  addServerOptions,
  openEngine,
  remoteClient,
  table,
  type ClusterFlags,
  type ServerFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags, ServerFlags {
  env?: string;
}

function show(printer: Printer, rows: readonly AutoDeployStatus[]): void {
  const s = printer.style;
  printer.line(
    table(
      ['SERVICE', 'ENV', 'POLICY', 'RUNS', 'STATE'],
      rows.map((r) => [
        r.service,
        r.environment,
        r.policy + (r.from === 'environment' ? ' (environment)' : ''),
        r.current ?? '-',
        r.policy === 'off' ? '-' : r.paused ? s.red('paused') : s.green('on'),
      ]),
    ),
  );
  for (const r of rows) {
    if (r.paused)
      printer.line(
        `  ${r.service}/${r.environment}: ${r.paused.reason}; waits for a version newer than ${r.paused.badVersion}`,
      );
    if (r.failed.length)
      printer.line(
        `  ${r.service}/${r.environment}: never retried: ${r.failed.map((f) => `${f.version} (release ${f.release})`).join(', ')}`,
      );
  }
}

function resumed(
  printer: Printer,
  service: string,
  env: string,
  r: { resumed: boolean; status: AutoDeployStatus },
): void {
  printer.line(
    r.resumed
      ? `auto-deploy of ${service} in ${env} resumed`
      : `auto-deploy of ${service} in ${env} was not paused`,
  );
  printer.json(r);
}

export function register(program: Command): void {
  const group = program
    .command('autodeploy')
    .description('auto-deploy on image push: the policy and state of each service, and resume after a pause');
  addServerOptions(
    addClusterOptions(
      group
        .command('status')
        .description('the policy of each service in each environment, what runs, and whether it is paused')
        .argument('[service]')
        .option('-e, --env <env>', 'only this environment'),
    ),
  ).action(async (service: string | undefined, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const client = await remoteClient(flags);
    if (client) {
      const q = new URLSearchParams({
        ...(service ? { service } : {}),
        ...(flags.env ? { environment: flags.env } : {}),
      });
      const { autodeploy } = await client.call<{ autodeploy: AutoDeployStatus[] }>(
        'GET',
        `/api/v1/autodeploy${q.size ? `?${q}` : ''}`,
      );
      show(printer, autodeploy);
      printer.json({ autodeploy });
      return;
    }
    const [{ loadApp }, { AutoDeploy }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/autodeploy.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    try {
      const rows = await new AutoDeploy(engine, app).status({
        ...(service ? { service } : {}),
        ...(flags.env ? { environment: flags.env } : {}),
      });
      show(printer, rows);
      printer.json({ autodeploy: rows });
    } finally {
      await engine.close();
    }
  });
  addServerOptions(
    addClusterOptions(
      group
        .command('resume')
        .description('lift the pause a rollback or a failed release put on auto-deploy')
        .argument('<service>')
        .option('-e, --env <env>', 'the environment'),
    ),
  ).action(async (service: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const client = await remoteClient(flags);
    if (client) {
      const r = await client.call<{ resumed: boolean; status: AutoDeployStatus }>(
        'POST',
        '/api/v1/autodeploy/resume',
        { service, environment: flags.env },
      );
      resumed(printer, service, flags.env, r);
      return;
    }
    const [{ loadApp }, { AutoDeploy }, { defaultActor }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/autodeploy.ts'),
      import('../../engine/context.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    try {
      const r = await new AutoDeploy(engine, app).resume({
        service,
        environment: flags.env,
        actor: defaultActor(cliIo().env),
      });
      resumed(printer, service, flags.env, r);
    } finally {
      await engine.close();
    }
  });
}
