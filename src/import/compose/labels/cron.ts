// The cron that swarm-cronjob or kompose labels describe → the service's one cron. The service
// then runs no instances: its command becomes the cron's, its resources the cron's.
import type { Cron } from '../context.ts';
import type { LabelState } from './family.ts';

export function finishCron(st: LabelState): void {
  const { m, cron, cronLines } = st;
  const { report, name } = st.ctx;
  if (cron.schedule === undefined) {
    for (const l of cronLines) report.dropped(name, l.at, 'a cron label without a schedule: no cron is made');
    return;
  }
  const args = m.args;
  const command = m.command;
  const cmd: string[] | undefined =
    command !== undefined ? [...(Array.isArray(command) ? command : [command]), ...(args ?? [])] : args;
  if (cmd === undefined || cmd.length === 0) {
    for (const l of cronLines)
      report.dropped(
        name,
        l.at,
        'a cron needs a command: none given (the image’s default command is not known to ferry; write it as command)',
      );
    return;
  }
  for (const l of cronLines) report.mapped(name, l.at, l.to, l.note);
  const c: Cron = { name, schedule: cron.schedule, command: cmd };
  if (cron.concurrency !== undefined) c.concurrency = cron.concurrency;
  else {
    // Both swarm-cronjob (skip-running: false) and a Kubernetes CronJob (Allow) let runs
    // overlap by default; keep that behaviour visible instead of silently switching to forbid.
    c.concurrency = 'allow';
    report.approximated(
      name,
      cronLines.find((l) => l.to.endsWith('.schedule'))?.at ?? [],
      `crons.${name}.concurrency`,
      'no concurrency given: the old default let runs overlap (allow); write forbid if they must not',
    );
  }
  if (cron.timezone !== undefined) c.timezone = cron.timezone;
  if (m.resources !== undefined) {
    c.resources = m.resources;
    delete m.resources;
    report.retargetUnder(st.ctx.at('deploy', 'resources'), 'resources', `crons.${name}.resources`);
  }
  m.crons = [c];
  m.instances = 0;
  for (const field of ['entrypoint', 'command'])
    st.ctx.report.retarget(st.ctx.at(field), `crons.${name}.command`);
  delete m.args;
  delete m.command;
}
