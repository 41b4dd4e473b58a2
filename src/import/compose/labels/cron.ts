// The cron that swarm-cronjob or kompose labels describe → the service's one cron. The service
// then runs no instances: its command becomes the cron's, its resources the cron's.
import type { Cron } from '../context.ts';
import type { LabelState } from './family.ts';

export function finishCron(st: LabelState): void {
  const { m, cron, cronKeys } = st;
  const { report, name } = st.ctx;
  if (cron.schedule === undefined) return;
  const args = m.args;
  const command = m.command;
  const cmd: string[] | undefined =
    command !== undefined ? [...(Array.isArray(command) ? command : [command]), ...(args ?? [])] : args;
  if (cmd === undefined || cmd.length === 0) {
    for (const k of cronKeys) report.dropped(name, k, 'a cron needs a command: none given');
    return;
  }
  const c: Cron = { name, schedule: cron.schedule, command: cmd };
  if (cron.concurrency !== undefined) c.concurrency = cron.concurrency;
  else {
    // Both swarm-cronjob (skip-running: false) and a Kubernetes CronJob (Allow) let runs
    // overlap by default; keep that behaviour visible instead of silently switching to forbid.
    c.concurrency = 'allow';
    report.approximated(
      name,
      cronKeys[0] ?? [],
      `crons.${name}.concurrency`,
      'no concurrency given: the old default let runs overlap (allow); write forbid if they must not',
    );
  }
  if (cron.timezone !== undefined) c.timezone = cron.timezone;
  if (m.resources !== undefined) {
    c.resources = m.resources;
    delete m.resources;
  }
  m.crons = [c];
  m.instances = 0;
  delete m.args;
  delete m.command;
}
