// `ferry import <file…> [--from compose|swarm|marathon|chronos|beanstalk|kubernetes] --out <dir>`
// Old platform files → one ferry.yaml per service (+ ferry.platform.yaml when missing) and a report
// of every source field: mapped, approximated (how) or dropped (why). `--dry-run` writes nothing.
import { cliIo } from '../io.ts';
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { createPrinter, type GlobalOptions } from '../output.ts';

interface Flags extends GlobalOptions {
  from?: string;
  out?: string;
  env?: string;
  var?: string[];
  force?: boolean;
  dryRun?: boolean;
  report?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'turn compose/Swarm, Marathon, Chronos or Dockerrun files into ferry manifests, with a report of every field',
    )
    .argument('<file...>', 'source files (compose files are merged in order, like docker compose -f a -f b)')
    .option(
      '--from <format>',
      'compose, swarm, marathon, chronos, beanstalk or kubernetes (default: detected)',
    )
    .option('--out <dir>', 'where to write <service>/ferry.yaml', '.')
    .option('-e, --env <name>', 'environment for a new ferry.platform.yaml', 'prod')
    .option(
      '--var <NAME=value>',
      'a variable for ${VAR} interpolation (repeatable; default: the shell environment)',
      collect,
    )
    .option('--force', 'overwrite existing ferry.yaml files')
    .option('--dry-run', 'print the result, write nothing')
    .option('--no-report', 'do not list every field in the human output (the summary only)')
    .action(async (files: string[], _flags: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<Flags>();
      const out = createPrinter(g);
      const { importFiles } = await import('../../import/index.ts');
      const { formatHint, parseFormat } = await import('../../import/detect.ts');
      const { formatReport, summarize } = await import('../../import/report.ts');
      const { manifestText, reportJson, writeImport } = await import('../../import/write.ts');
      let from;
      if (g.from !== undefined) {
        from = parseFormat(g.from);
        if (from === undefined) throw usageError('E_USAGE', `unknown format "${g.from}"`, formatHint(g.from));
      }
      const vars: Record<string, string> = {};
      if (g.var === undefined) {
        for (const [k, v] of Object.entries(cliIo().env)) if (v !== undefined) vars[k] = v;
      } else
        for (const kv of g.var) {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw usageError('E_USAGE', `--var ${kv}: expected NAME=value`);
          vars[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
      out.progress(`importing ${files.join(', ')}…`);
      const result = await importFiles(files, from, { vars, environment: g.env ?? 'prod' });
      const written = g.dryRun
        ? undefined
        : await writeImport(result, g.out ?? '.', { force: g.force === true });
      for (const w of written?.warnings ?? []) out.note(`warning: ${w}`);
      out.json({ ...reportJson(result), written: written ?? null });
      if (g.report !== false) out.line(formatReport(result.report));
      if (g.dryRun)
        for (const s of result.services)
          out.line(`--- ${s.manifest.service}/ferry.yaml\n${manifestText(s.manifest)}`);
      const s = summarize(result.report);
      out.line(
        `${out.style.green('imported')} ${result.services.length} service${result.services.length === 1 ? '' : 's'} from ${result.format}: ${s.mapped} fields mapped, ${s.approximated} approximated, ${s.dropped} dropped`,
      );
      if (written) {
        for (const p of written.manifests) out.line(`  wrote ${p}`);
        if (written.platform) out.line(`  wrote ${written.platform}`);
        else if (written.existingPlatform) out.line(`  kept ${written.existingPlatform} (the project's)`);
        out.line(`  wrote ${written.report}`);
      }
    });
}
