// `ferry dora [--env prod] [--since 30d]`: the DORA figures of an environment over a window —
// deployment frequency, change lead time, change fail rate, recovery time, rework rate — with
// their bands, overall, per service and week by week.
import type { Command } from 'commander';
import type { DoraFigures, DoraReport } from '../../engine/dora/figures.ts';
import { createPrinter, workDir, type GlobalOptions } from '../output.ts';
import { addClusterOptions, openEngine, table, type ClusterFlags } from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  since: string;
  service?: string;
  intervention: string;
}

/** 27.5 min → "28m", 3 h → "3.0h", 1.5 days → "1.5d". */
export function span(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)}h`;
  return `${(ms / 86_400_000).toFixed(1)}d`;
}

const pct = (r: number | null) => (r === null ? '-' : `${Math.round(r * 100)}%`);

function rows(f: DoraFigures): string[][] {
  return [
    [
      'deployment frequency',
      `${f.frequency.perWeek.toFixed(1)} a week (${f.frequency.deployments})`,
      f.frequency.band ?? '-',
    ],
    [
      'change lead time',
      f.leadTime.count
        ? `median ${span(f.leadTime.medianMs)}, p90 ${span(f.leadTime.p90Ms)} (${f.leadTime.count})`
        : 'no commit times recorded',
      f.leadTime.band ?? '-',
    ],
    [
      'merge → deploy',
      f.mergeToDeploy.count
        ? `median ${span(f.mergeToDeploy.medianMs)}, p90 ${span(f.mergeToDeploy.p90Ms)} (${f.mergeToDeploy.count})`
        : '-',
      '-',
    ],
    [
      'change fail rate',
      `${pct(f.changeFailRate.rate)} (${f.changeFailRate.failed} of ${f.changeFailRate.changes})`,
      f.changeFailRate.band ?? '-',
    ],
    [
      'recovery time',
      `median ${span(f.recovery.medianMs)} (${f.recovery.count} recovered, ${f.recovery.open} open)`,
      f.recovery.band ?? '-',
    ],
    [
      'rework rate',
      `${pct(f.reworkRate.rate)} (${f.reworkRate.rework} of ${f.reworkRate.releases})`,
      'no bands',
    ],
  ];
}

function text(r: DoraReport): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const out = [
    `DORA figures of ${r.environment}, ${day(r.window.from)} → ${day(r.window.to)}`,
    '',
    table(['FIGURE', 'VALUE', 'BAND'], rows(r.overall)),
  ];
  if (r.services.length > 0)
    out.push(
      '',
      table(
        ['SERVICE', 'DEPLOYS', 'LEAD TIME', 'FAIL RATE', 'RECOVERY', 'REWORK'],
        r.services.map((s) => [
          s.service,
          String(s.frequency.deployments),
          span(s.leadTime.medianMs),
          pct(s.changeFailRate.rate),
          span(s.recovery.medianMs),
          pct(s.reworkRate.rate),
        ]),
      ),
    );
  out.push(
    '',
    table(
      ['WEEK', 'DEPLOYS', 'FAILED', 'LEAD TIME', 'RECOVERY'],
      r.weeks.map((w) => [
        `${day(w.from)}…${day(w.to - 1)}`,
        String(w.deployments),
        `${w.failed} of ${w.changes}`,
        span(w.leadTimeMedianMs),
        span(w.recoveryMedianMs),
      ]),
    ),
  );
  return out.join('\n');
}

export function register(program: Command): void {
  addClusterOptions(
    program
      .command('dora')
      .description(
        'the DORA figures of an environment: deploy frequency, lead time, fail rate, recovery, rework',
      )
      .option('-e, --env <env>', 'the environment (default: the one named prod or production)')
      .option('--since <window>', 'how far back: 90m, 12h, 30d, 2w', '30d')
      .option('--service <service>', 'only this service')
      .option(
        '--intervention <window>',
        'a rollback this soon after a deploy makes it a failed change',
        '60m',
      ),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const [{ loadApp }, { Dora }, { parseSince }, { serviceOf }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/dora.ts'),
      import('../../engine/dora/since.ts'),
      import('../../engine/actions/environments.ts'),
    ]);
    const windowMs = parseSince(flags.since, '--since');
    const interventionMs = parseSince(flags.intervention, '--intervention');
    const app = await loadApp(workDir(flags));
    if (flags.service) serviceOf(app, flags.service);
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    try {
      const to = engine.now();
      const report = await new Dora(engine, app).run({
        ...(flags.env ? { environment: flags.env } : {}),
        ...(flags.service ? { service: flags.service } : {}),
        from: to - windowMs,
        to,
        interventionMs,
      });
      printer.line(text(report));
      if (report.overall.reworkRate.releases === 0)
        printer.note(`no releases in ${report.environment} in this window yet`);
      printer.json(report);
    } finally {
      await engine.close();
    }
  });
}
