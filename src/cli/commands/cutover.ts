// `ferry cutover plan|start|next|abort|status --env <env>`: the recorded, resumable runbook that
// moves an environment's traffic from the old platform (docs/cutover.md). Exit codes: 0 done or
// stopped where the runbook says to, 2 bad input, 3 a step or check failed (the weight was rolled
// back), a confirmation is awaited, a blocking pitfall was found, or the command does not fit where
// the runbook is; 130 interrupted (continue with next).
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import type { CutoverView } from '../../engine/cutover/view.ts';
import { ExitCode } from '../exit.ts';
import { cliIo } from '../io.ts';
import { createPrinter, exitWith, workDir, type GlobalOptions, type Printer } from '../output.ts';
import {
  addClusterOptions,
  interruptible,
  openEngine,
  progressPrinter,
  table,
  type ClusterFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  yes?: boolean;
}

type Sub = 'plan' | 'start' | 'next' | 'abort' | 'status';

const ABOUT: Record<Sub, string> = {
  plan: 'show the runbook, the objects of each traffic state and the pitfall checks; changes nothing',
  start: 'start the cut-over and run it until a step waits for a confirmation, fails, or all are done',
  next: 'continue a stopped cut-over (after a confirmation, a failure, Ctrl-C or a killed process)',
  abort: 'put all traffic back on the old platform with maintenance off, and end the cut-over',
  status: 'where the cut-over is: every step with its outcome, who ran it and when',
};

function describeTraffic(v: CutoverView): string {
  return v.traffic.maintenance
    ? 'maintenance page'
    : `${v.traffic.weight} % new / ${100 - v.traffic.weight} % old`;
}

function printView(v: CutoverView, printer: Printer): void {
  const s = printer.style;
  const head = v.id
    ? `cut-over ${v.name} #${v.id} in ${v.environment} (${v.driver}), started by ${v.actor} at ${v.startedAt}`
    : `cut-over ${v.name} in ${v.environment} (${v.driver})`;
  printer.line(s.bold(head));
  const colour = (st: string) =>
    st === 'done' ? s.green(st) : st === 'pending' ? s.dim(st) : st === 'running' ? s.yellow(st) : s.red(st);
  printer.line(
    table(
      ['#', 'STEP', 'STATUS', 'LAST'],
      v.steps.map((st) => [
        `${st.index + 1}${st.index === v.next && v.phase !== 'succeeded' && v.phase !== 'aborted' ? '>' : ''}`,
        st.description,
        colour(st.status),
        st.attempts.at(-1)?.message ?? '',
      ]),
    ),
  );
  for (const e of v.events) printer.line(`  ${e.name} ${e.outcome} ${e.startedAt}: ${e.message}`);
  printer.line(`traffic: ${describeTraffic(v)}; ${phaseLine(v)}`);
  for (const p of v.pitfalls) {
    const mark =
      p.level === 'ok' ? s.green('ok') : p.level === 'blocking' ? s.red('BLOCKING') : s.yellow(p.level);
    printer.line(`pitfall ${p.name}: ${mark}: ${p.message}`);
  }
  for (const c of v.caveats) printer.note(`caveat: ${c}`);
}

function phaseLine(v: CutoverView): string {
  switch (v.phase) {
    case 'not-started':
      return 'not started (ferry cutover start)';
    case 'running':
      return 'a process is running it now';
    case 'succeeded':
      return `done at ${v.endedAt}`;
    case 'aborted':
      return `aborted at ${v.endedAt}`;
    case 'stopped': {
      const r = v.stopped;
      const at = `stopped before step ${v.next + 1}`;
      if (!r || r.kind === 'fresh') return `${at} (ferry cutover next continues)`;
      if (r.kind === 'confirm')
        return `${at}: waiting for a confirmation: ${r.text} (ferry cutover next --yes)`;
      if (r.kind === 'interrupted')
        return `${at}: its process stopped mid-step (ferry cutover next runs it again)`;
      return `${at}: ${r.kind}: ${r.message} (fix it, then ferry cutover next; or ferry cutover abort)`;
    }
  }
}

export function register(program: Command): void {
  const group = program
    .command('cutover')
    .description(
      "move an environment's traffic from the old platform: a recorded, resumable runbook (docs/cutover.md)",
    );
  for (const sub of Object.keys(ABOUT) as Sub[]) {
    const cmd = group.command(sub).description(ABOUT[sub]).option('-e, --env <env>', 'the environment');
    if (sub === 'next' || sub === 'start')
      cmd.option('-y, --yes', 'confirm the step that waits for a confirmation');
    addClusterOptions(cmd).action(async (_f: Flags, c: Command) => run(sub, c.optsWithGlobals<Flags>()));
  }
}

async function run(sub: Sub, flags: Flags): Promise<void> {
  const printer = createPrinter(flags);
  const io = cliIo();
  if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
  const [{ loadApp }, { Cutover }, { runContext, defaultActor }] = await Promise.all([
    import('../../manifest/load.ts'),
    import('../../engine/cutover/runbook.ts'),
    import('../../engine/context.ts'),
  ]);
  const app = await loadApp(workDir(flags));
  const engine = await openEngine(app, flags, printer, { clusterCommand: true });
  let cutover: InstanceType<typeof Cutover>;
  try {
    cutover = new Cutover(engine, app, flags.env);
  } catch (e) {
    await engine.close();
    throw e;
  }
  const intr = interruptible(printer);
  const ctx = runContext({
    actor: defaultActor(io.env),
    signal: intr.signal,
    hardSignal: intr.hardSignal,
    onEvent: progressPrinter(printer),
  });
  let code: number = ExitCode.ok;
  try {
    if (sub === 'plan') {
      printer.progress('checking the pitfalls…', true);
      const v = await cutover.preview(ctx);
      printView(v, printer);
      for (const st of v.states)
        printer.line(
          `after "${st.after}": ${st.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
        );
      printer.json({ cutover: v });
      if (v.pitfalls.some((p) => p.level === 'blocking')) code = ExitCode.rejected;
    } else if (sub === 'status') {
      const v = await cutover.status();
      printView(v, printer);
      printer.json({ cutover: v });
    } else {
      const req = { confirmed: flags.yes === true };
      const v =
        sub === 'start'
          ? await cutover.start(req, ctx)
          : sub === 'next'
            ? await cutover.next(req, ctx)
            : await cutover.abort(req, ctx);
      printView(v, printer);
      printer.json({ cutover: v });
    }
  } finally {
    intr.dispose();
    await engine.close();
  }
  exitWith(code);
}
