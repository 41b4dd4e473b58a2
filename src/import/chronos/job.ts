// One Chronos job → one ferry cron (and the variables it ran with), reporting every field it reads.
// Which service the cron belongs to is decided before (group.ts): the job is mapped under that
// service's name, as cron `cron`.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { isTimeZone } from '../../model/schedule.ts';
import { coresToCpu, ENV_NAME, isoDurationSeconds, mibToMemory, secondsToDuration } from '../common.ts';
import type { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { splitImage } from '../names.ts';
import { importChronosSchedule } from './schedule.ts';

export type Cron = NonNullable<ServiceManifest['crons']>[number];

const DROP_REASONS: Readonly<Record<string, string>> = {
  owner: 'job metadata: keep it in the repository (CODEOWNERS)',
  ownerName: 'job metadata: keep it in the repository (CODEOWNERS)',
  description: 'job metadata: keep it in the repository',
  async: 'Chronos async jobs report their own completion; a CronJob run ends when the container exits',
  uris: 'files fetched at start: bake them into the image',
  fetch: 'files fetched at start: bake them into the image',
  executor: 'Mesos executors have no Kubernetes equivalent',
  executorFlags: 'Mesos executors have no Kubernetes equivalent',
  runAsUser: 'ferry runs the image’s user (set USER in the Dockerfile)',
  highPriority: 'priority classes are not modelled',
  softError: 'a failed run always counts as failed',
  dataProcessingJobType: 'not modelled',
  disk: 'ephemeral disk is not modelled',
  taskInfoData: 'not modelled',
  constraints: 'ferry places by node labels (placement.nodeSelector) on the service',
};
const RUNTIME = new Set(['successCount', 'errorCount', 'lastSuccess', 'lastError', 'errorsSinceLastSuccess']);

export interface JobVar {
  name: string;
  value: string;
  /** where it is: <job>.environmentVariables[i] (the service reports it, as env or in the command) */
  at: KeyPath;
}

export interface MappedJob {
  cron: Cron;
  /** the job's environmentVariables */
  env: JobVar[];
}

/** Where a job says it runs: its image repository and tag, when it has a container image. */
export function jobImage(job: Record<string, unknown>): string | undefined {
  const c = job.container;
  return isRecord(c) && typeof c.image === 'string' && c.image !== '' ? c.image : undefined;
}

/** Chronos `command` + `shell` + `arguments` → a ferry command. */
function jobCommand(
  job: Record<string, unknown>,
  at: (...p: (string | number)[]) => KeyPath,
  service: string,
  to: string,
  report: Reporter,
): string | string[] {
  const args = Array.isArray(job.arguments) ? job.arguments.map(String) : [];
  if (job.shell === false) {
    report.mapped(service, at('command'), to, 'exec form (shell: false)');
    report.mapped(service, at('shell'), to);
    if (job.arguments !== undefined) report.mapped(service, at('arguments'), to);
    return [String(job.command), ...args];
  }
  report.mapped(service, at('command'), to, 'shell form, like Chronos');
  if (job.shell !== undefined) report.mapped(service, at('shell'), to);
  if (job.arguments !== undefined)
    report.dropped(service, at('arguments'), 'Chronos ignores arguments when shell is true');
  return String(job.command);
}

/** A scheduled job → its cron; undefined (reported) when the schedule has no cron. */
export function mapJob(
  job: Record<string, unknown>,
  base: KeyPath,
  service: string,
  cronName: string,
  report: Reporter,
): MappedJob | undefined {
  const at = (...p: (string | number)[]): KeyPath => [...base, ...p];
  const to = (field: string): string => `crons.${cronName}.${field}`;
  report.mapped(
    service,
    at('name'),
    `crons.${cronName}.name`,
    cronName === job.name ? undefined : `"${String(job.name)}" → cron "${cronName}" of ${service}`,
  );
  const container = isRecord(job.container) ? job.container : undefined;
  if (container && typeof container.image === 'string') {
    const { tag } = splitImage(container.image);
    if (tag === undefined)
      report.mapped(service, at('container', 'image'), 'image', 'the cron runs the service’s image');
    else
      report.approximated(
        service,
        at('container', 'image'),
        'image',
        `tag "${tag}" comes at deploy time; the cron runs the service’s image`,
      );
    for (const k of Object.keys(container)) {
      const key = at('container', k);
      if (k === 'type') report.mapped(service, key, 'image', 'ferry runs OCI images');
      else if (k === 'forcePullImage')
        report.approximated(service, key, 'image', 'ferry pins the tag at deploy time');
      else if (k === 'network' || k === 'networkName')
        report.approximated(service, key, '(pod network)', 'every pod has its own IP');
      else if (k === 'parameters')
        report.dropped(service, key, 'docker run parameters have no Kubernetes equivalent');
      else if (k === 'volumes' && Array.isArray(container.volumes))
        container.volumes.forEach((_, i) =>
          report.dropped(
            service,
            at('container', 'volumes', i),
            'cron runs get no volumes in ferry: use object storage or a service',
          ),
        );
    }
  } else
    report.approximated(
      service,
      container ? at('container') : at('name'),
      'image',
      `no container image: the command ran on the Mesos agent; build an image that holds it and push it as "${service}"`,
    );

  // the zone the cron runs in: an IANA name this runtime knows; anything else runs in UTC
  const tz = job.scheduleTimeZone === undefined ? undefined : String(job.scheduleTimeZone);
  const timezone = tz !== undefined && (tz.includes('/') || tz === 'UTC') && isTimeZone(tz) ? tz : undefined;
  const sched = importChronosSchedule(String(job.schedule), timezone);
  if (sched.kind === 'invalid') {
    report.dropped(service, at('schedule'), sched.note);
    return undefined;
  }
  const cron: Cron = {
    name: cronName,
    schedule: sched.schedule,
    command: jobCommand(job, at, service, to('command'), report),
  };
  if (sched.kind === 'exact')
    report.mapped(
      service,
      at('schedule'),
      to('schedule'),
      sched.note ?? 'ferry converts the interval to cron exactly',
    );
  else report.approximated(service, at('schedule'), to('schedule'), sched.note);
  if (tz !== undefined) {
    if (timezone !== undefined) {
      cron.timezone = timezone;
      report.mapped(service, at('scheduleTimeZone'), to('timezone'));
    } else
      report.approximated(
        service,
        at('scheduleTimeZone'),
        to('timezone'),
        `"${tz}" is not an IANA zone name (e.g. America/Los_Angeles): runs in UTC until you set one`,
      );
  }
  // Chronos defaults to concurrent: false; Kubernetes CronJobs default to Allow (ANNA's pitfall):
  // written out either way, so the cron keeps Chronos' behaviour whatever the platform policy says.
  cron.concurrency = job.concurrent === true ? 'allow' : 'forbid';
  if (job.concurrent !== undefined) report.mapped(service, at('concurrent'), to('concurrency'));
  if (typeof job.epsilon === 'string') {
    const s = isoDurationSeconds(job.epsilon);
    const d = s === undefined ? undefined : secondsToDuration(s);
    if (d !== undefined && d !== '0s') {
      cron.deadline = d;
      report.mapped(service, at('epsilon'), to('deadline'), 'startingDeadlineSeconds');
    } else report.dropped(service, at('epsilon'), 'not an ISO-8601 duration');
  }
  if (job.retries !== undefined) {
    const n = Number(job.retries);
    if (Number.isInteger(n) && n >= 0 && n <= 20) {
      cron.retries = n;
      report.mapped(service, at('retries'), to('retries'), "the Job's backoffLimit");
    } else report.dropped(service, at('retries'), 'not a whole number from 0 to 20');
  }
  const resources: { cpu?: string | number; memory?: string } = {};
  const cpu = coresToCpu(job.cpus);
  if (cpu !== undefined) {
    resources.cpu = cpu;
    report.mapped(service, at('cpus'), to('resources.cpu'), 'the limit');
  }
  const mem = mibToMemory(job.mem);
  if (mem !== undefined) {
    resources.memory = mem;
    report.mapped(service, at('mem'), to('resources.memory'), 'MiB; the limit');
  }
  if (Object.keys(resources).length > 0) cron.resources = resources;
  const env: JobVar[] = [];
  if (Array.isArray(job.environmentVariables))
    job.environmentVariables.forEach((e, i) => {
      if (isRecord(e) && typeof e.name === 'string' && ENV_NAME.test(e.name))
        env.push({ name: e.name, value: String(e.value ?? ''), at: at('environmentVariables', i) });
      else report.dropped(service, at('environmentVariables', i), 'not a {name, value} pair');
    });
  if (job.disabled === true)
    report.approximated(
      service,
      at('disabled'),
      'crons',
      'the job was disabled: it is imported and will run; remove the cron to keep it off',
    );
  else if (job.disabled !== undefined) report.mapped(service, at('disabled'), 'crons');
  reportDropped(job, at, service, report);
  return { cron, env };
}

/** The fields every job may have that ferry does not carry over, and the API's runtime state. */
export function reportDropped(
  job: Record<string, unknown>,
  at: (...p: (string | number)[]) => KeyPath,
  service: string,
  report: Reporter,
): void {
  for (const [k, why] of Object.entries(DROP_REASONS))
    if (job[k] !== undefined) report.dropped(service, at(k), why);
  for (const k of Object.keys(job))
    if (RUNTIME.has(k))
      report.dropped(service, at(k), 'runtime state reported by the Chronos API, not configuration');
}
