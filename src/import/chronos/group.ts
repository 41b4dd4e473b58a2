// Chronos jobs → the services they belong to. A ferry cron runs its service's image, so:
// - a job that runs the image of a Marathon app imported with it becomes a cron of that app's
//   service (ANNA's manifest was `app_name` plus `chronos_tasks`);
// - the other jobs with an image are grouped by image: one service per image (instances 0)
//   holding all its jobs;
// - a job without an image (a command on the Mesos agent) is a service of its own.
// A job's variables the service does not have are set for that cron only, in front of its
// command. A dependent job (`parents`, no schedule) of the same service runs after its parent in
// the parent's command; otherwise it is reported with the order its chain implies.
import { claimName, sortRecord } from '../common.ts';
import { splitImage, toDnsLabel } from '../names.ts';
import { Reporter, type ReportEntry } from '../report.ts';
import type { KeyPath, SourceDoc } from '../source.ts';
import type { ImportedService } from '../types.ts';
import { jobImage, mapJob, reportDropped, type Cron, type JobVar } from './job.ts';

export interface JobDoc {
  doc: SourceDoc;
  jobs: { job: Record<string, unknown>; at: KeyPath }[];
}

interface Placed {
  job: Record<string, unknown>;
  at: KeyPath;
  report: Reporter;
  service: string;
  cronName: string;
  group: Group;
}

interface Group {
  service: string;
  /** the Marathon app's service the jobs join, or a new service of jobs only */
  app: ImportedService | undefined;
  repository: string | undefined;
  version: string | undefined;
  crons: { cron: Cron; env: JobVar[]; report: Reporter; job: Record<string, unknown> }[];
}

function shellQuote(v: string): string {
  return /^[\w./:@%+=,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** `NAME=value` for this cron only, in front of its command. */
function withVars(command: Cron['command'], vars: readonly JobVar[]): Cron['command'] {
  if (vars.length === 0) return command;
  if (typeof command === 'string')
    return `export ${vars.map((v) => `${v.name}=${shellQuote(v.value)}`).join(' ')}; ${command}`;
  return ['env', ...vars.map((v) => `${v.name}=${v.value}`), ...command];
}

/** The ordered chain of job names from a scheduled job down to `name` (first parents). */
function chain(name: string, byName: ReadonlyMap<string, Record<string, unknown>>): string[] {
  const out = [name];
  for (let cur = byName.get(name); cur && Array.isArray(cur.parents) && cur.parents.length > 0;) {
    const p = String(cur.parents[0]);
    if (out.includes(p)) break;
    out.unshift(p);
    cur = byName.get(p);
  }
  return out;
}

export function groupJobs(
  docs: readonly JobDoc[],
  apps: readonly ImportedService[],
  used: Set<string>,
): { services: ImportedService[]; entries: ReportEntry[] } {
  const byRepository = new Map<string, Group>();
  for (const app of apps)
    if (app.manifest.image !== app.manifest.service && !byRepository.has(app.manifest.image))
      byRepository.set(app.manifest.image, {
        service: app.manifest.service,
        app,
        repository: app.manifest.image,
        version: app.version,
        crons: [],
      });
  const groups: Group[] = [];
  const placed: Placed[] = [];
  const byName = new Map<string, Record<string, unknown>>();
  const cronNames = new Map<string, Set<string>>();
  for (const app of apps)
    cronNames.set(app.manifest.service, new Set((app.manifest.crons ?? []).map((c) => c.name)));
  const reports: Reporter[] = [];
  const completions: (() => void)[] = [];
  for (const { doc, jobs } of docs) {
    const report = new Reporter(doc.locate);
    reports.push(report);
    const names = new Map<string, string>();
    for (const { job, at } of jobs) {
      byName.set(String(job.name), job);
      const image = jobImage(job);
      const { repository, tag } =
        image === undefined ? { repository: undefined, tag: undefined } : splitImage(image);
      let group = repository === undefined ? undefined : byRepository.get(repository);
      if (!group) {
        const base =
          repository === undefined ? String(job.name) : (repository.split('/').pop() ?? repository);
        const service = claimName(used, toDnsLabel(base));
        group = { service, app: undefined, repository, version: tag, crons: [] };
        groups.push(group);
        if (repository !== undefined) byRepository.set(repository, group);
      }
      const own = cronNames.get(group.service) ?? new Set<string>();
      cronNames.set(group.service, own);
      const label = toDnsLabel(String(job.name));
      const stripped = label.startsWith(`${group.service}-`) ? label.slice(group.service.length + 1) : label;
      const cronName = claimName(own, toDnsLabel(stripped).slice(0, 40));
      names.set(JSON.stringify(at), group.service);
      placed.push({ job, at, report, service: group.service, cronName, group });
    }
    completions.push(() =>
      report.complete(
        doc.value,
        [],
        (key) => names.get(JSON.stringify(key.slice(0, jobs[0]?.at.length ?? 0))) ?? '',
      ),
    );
  }

  // scheduled jobs first, then dependent ones in chain order
  const crons = new Map<string, { cron: Cron; group: Group }>();
  for (const p of placed) {
    if (typeof p.job.schedule !== 'string') continue;
    const mapped = mapJob(p.job, p.at, p.service, p.cronName, p.report);
    if (!mapped) continue;
    p.group.crons.push({ cron: mapped.cron, env: mapped.env, report: p.report, job: p.job });
    crons.set(String(p.job.name), { cron: mapped.cron, group: p.group });
    if (p.group.app)
      p.report.approximated(
        p.service,
        [...p.at, 'name'],
        `crons.${p.cronName}`,
        `runs the image of the Marathon app ${p.service}: one of its crons`,
      );
  }
  const dependents = placed.filter((p) => typeof p.job.schedule !== 'string');
  dependents.sort(
    (a, b) => chain(String(a.job.name), byName).length - chain(String(b.job.name), byName).length,
  );
  for (const p of dependents) {
    const order = chain(String(p.job.name), byName);
    const parents = Array.isArray(p.job.parents) ? p.job.parents.map(String) : [];
    const parent = parents.length === 1 ? crons.get(parents[0]!) : undefined;
    const command = p.job.shell === false ? undefined : String(p.job.command ?? '');
    const root = byName.get(order[0]!);
    const rootSchedule = typeof root?.schedule === 'string' ? ` (${order[0]} runs ${root.schedule})` : '';
    if (parent && parent.group === p.group && typeof parent.cron.command === 'string' && command) {
      parent.cron.command = `${parent.cron.command} && ${command}`;
      crons.set(String(p.job.name), parent);
      p.report.approximated(
        p.service,
        p.at,
        `crons.${parent.cron.name}.command`,
        `a dependent job, order ${order.join(' → ')}${rootSchedule}: appended to ${parents[0]}'s command (… && ${command}), so it runs after it succeeds, in the same pod; its own resources, retries and variables are not kept`,
      );
    } else {
      p.report.dropped(
        p.service,
        p.at,
        `a dependent job, order ${order.join(' → ')}${rootSchedule}: ferry crons run on a schedule — chain it into ${parents.join(', ') || 'its parent'}'s command or give it a schedule`,
      );
      reportDropped(p.job, (...k) => [...p.at, ...k], p.service, p.report);
    }
  }

  const services: ImportedService[] = [];
  for (const g of [...byRepository.values(), ...groups].filter((x, i, all) => all.indexOf(x) === i)) {
    if (g.crons.length === 0) continue;
    const manifest = g.app?.manifest ?? {
      service: g.service,
      image: g.repository ?? g.service,
      instances: 0,
    };
    const env: Record<string, string | number | boolean> = { ...(manifest.env ?? {}) };
    if (!g.app) {
      // variables every job of the service has with the same value belong to the service
      const [first, ...rest] = g.crons;
      for (const v of first?.env ?? [])
        if (rest.every((c) => c.env.some((x) => x.name === v.name && x.value === v.value)))
          env[v.name] = v.value;
    }
    for (const c of g.crons) {
      const own = c.env.filter((v) => String(env[v.name]) !== v.value);
      for (const v of c.env)
        if (own.includes(v))
          c.report.approximated(
            g.service,
            v.at,
            `crons.${c.cron.name}.command`,
            'set for this cron only, in front of its command',
          );
        else c.report.mapped(g.service, v.at, `env.${v.name}`);
      c.cron.command = withVars(c.cron.command, own);
    }
    if (Object.keys(env).length > 0) manifest.env = sortRecord(env);
    manifest.crons = [...(manifest.crons ?? []), ...g.crons.map((c) => c.cron)];
    if (!g.app) services.push({ manifest, version: g.version, raw: g.crons[0]!.job });
  }
  for (const complete of completions) complete();
  return { services, entries: reports.flatMap((r) => r.entries()) };
}
