// Chronos jobs (one job or a list, as GET /v1/scheduler/jobs returns) → ferry manifests: each
// scheduled job becomes a service with instances 0 and one cron, since a ferry cron runs the
// service's image. Dependent jobs (`parents`, no schedule) cannot be expressed and are reported.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { splitImage, toDnsLabel } from '../names.ts';
import {
  claimName,
  coresToCpu,
  importResult,
  isoDurationSeconds,
  mibToMemory,
  nameValueEnv,
  readFirstDoc,
  secondsToDuration,
} from '../common.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';
import { isTimeZone } from '../../model/schedule.ts';
import { importChronosSchedule } from './schedule.ts';

type Cron = NonNullable<ServiceManifest['crons']>[number];

const DROP_REASONS: Readonly<Record<string, string>> = {
  owner: 'job metadata: keep it in the repository (CODEOWNERS)',
  ownerName: 'job metadata: keep it in the repository (CODEOWNERS)',
  description: 'job metadata: keep it in the repository',
  async: 'Chronos async jobs report their own completion; a CronJob run ends when the container exits',
  retries: 'ferry runs each cron once per schedule; a failed run is reported, not retried',
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

export function findJobs(value: unknown): { job: Record<string, unknown>; at: KeyPath }[] | undefined {
  const isJob = (v: unknown): v is Record<string, unknown> =>
    isRecord(v) &&
    typeof v.name === 'string' &&
    (typeof v.schedule === 'string' || Array.isArray(v.parents)) &&
    v.command !== undefined;
  if (Array.isArray(value) && value.length > 0 && value.every(isJob))
    return value.map((job, i) => ({ job, at: [i] }));
  if (isJob(value)) return [{ job: value, at: [] }];
  return undefined;
}

export async function importChronos(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const services: ImportedService[] = [];
  const entries: ImportResult['report'] = [];
  const used = new Set<string>();
  for (const f of files) {
    const { doc, found: jobs } = await readFirstDoc(
      f,
      findJobs,
      'no Chronos job found (expected a job with name, command and schedule or parents, or a list of them)',
      `${f} is not a Chronos job`,
    );
    const report = new Reporter(doc.locate);
    const names = new Map<string, string>();
    for (const { job, at } of jobs) {
      const name = claimName(used, toDnsLabel(String(job.name)));
      names.set(JSON.stringify(at), name);
      const s = mapJob(job, at, name, report);
      if (s) services.push(s);
    }
    report.complete(
      doc.value,
      [],
      (key) => names.get(JSON.stringify(key.slice(0, jobs[0]?.at.length ?? 0))) ?? '',
    );
    entries.push(...report.entries());
  }
  return importResult('chronos', files, services, entries, opts);
}

function mapJob(
  job: Record<string, unknown>,
  base: KeyPath,
  name: string,
  report: Reporter,
): ImportedService | undefined {
  const at = (...p: (string | number)[]): KeyPath => [...base, ...p];
  if (typeof job.schedule !== 'string') {
    const parents = Array.isArray(job.parents) ? job.parents.map(String).join(', ') : '';
    report.dropped(
      name,
      at(),
      `a dependent job (runs after ${parents}) has no schedule: ferry crons run on a schedule — chain it into its parent's command or give it a schedule`,
    );
    return undefined;
  }
  const m: ServiceManifest = { service: name, image: name, instances: 0 };
  let version: string | undefined;
  report.mapped(
    name,
    at('name'),
    `service, crons[0].name`,
    name === job.name ? undefined : `"${String(job.name)}" → "${name}" (a DNS label)`,
  );
  const container = isRecord(job.container) ? job.container : undefined;
  if (container && typeof container.image === 'string') {
    const { repository, tag } = splitImage(container.image);
    m.image = repository;
    version = tag;
    if (tag === undefined) report.mapped(name, at('container', 'image'), 'image');
    else report.approximated(name, at('container', 'image'), 'image', `tag "${tag}" comes at deploy time`);
    for (const k of Object.keys(container)) {
      const key = at('container', k);
      if (k === 'type') report.mapped(name, key, 'image', 'ferry runs OCI images');
      else if (k === 'forcePullImage')
        report.approximated(name, key, 'image', 'ferry pins the tag at deploy time');
      else if (k === 'network' || k === 'networkName')
        report.approximated(name, key, '(pod network)', 'every pod has its own IP');
      else if (k === 'parameters')
        report.dropped(name, key, 'docker run parameters have no Kubernetes equivalent');
      else if (k === 'volumes' && Array.isArray(container.volumes))
        container.volumes.forEach((_, i) =>
          report.dropped(
            name,
            at('container', 'volumes', i),
            'cron runs get no volumes in ferry: use object storage or a service',
          ),
        );
    }
  } else
    report.approximated(
      name,
      container ? at('container') : at('name'),
      'image',
      `no container image: the command ran on the Mesos agent; build an image that holds it and push it as "${name}"`,
    );

  // the zone the cron runs in: an IANA name this runtime knows; anything else runs in UTC
  const tz = job.scheduleTimeZone === undefined ? undefined : String(job.scheduleTimeZone);
  const timezone = tz !== undefined && (tz.includes('/') || tz === 'UTC') && isTimeZone(tz) ? tz : undefined;
  const sched = importChronosSchedule(job.schedule, timezone);
  if (sched.kind === 'invalid') {
    report.dropped(name, at('schedule'), sched.note);
    return undefined;
  }
  let command: string | string[];
  const args = Array.isArray(job.arguments) ? job.arguments.map(String) : [];
  if (job.shell === false) {
    command = [String(job.command), ...args];
    report.mapped(name, at('command'), 'crons[0].command', 'exec form (shell: false)');
    report.mapped(name, at('shell'), 'crons[0].command');
    if (job.arguments !== undefined) report.mapped(name, at('arguments'), 'crons[0].command');
  } else {
    command = String(job.command);
    report.mapped(name, at('command'), 'crons[0].command', 'shell form, like Chronos');
    if (job.shell !== undefined) report.mapped(name, at('shell'), 'crons[0].command');
    if (job.arguments !== undefined)
      report.dropped(name, at('arguments'), 'Chronos ignores arguments when shell is true');
  }
  const cron: Cron = { name, schedule: sched.schedule, command };
  if (sched.kind === 'exact')
    report.mapped(
      name,
      at('schedule'),
      'crons[0].schedule',
      sched.note ?? 'ferry converts the interval to cron exactly',
    );
  else report.approximated(name, at('schedule'), 'crons[0].schedule', sched.note);
  if (tz !== undefined) {
    if (timezone !== undefined) {
      cron.timezone = timezone;
      report.mapped(name, at('scheduleTimeZone'), 'crons[0].timezone');
    } else
      report.approximated(
        name,
        at('scheduleTimeZone'),
        'crons[0].timezone',
        `"${tz}" is not an IANA zone name (e.g. America/Los_Angeles): runs in UTC until you set one`,
      );
  }
  // Chronos defaults to concurrent: false; Kubernetes CronJobs default to Allow (ANNA's pitfall).
  if (job.concurrent !== undefined) {
    cron.concurrency = job.concurrent === true ? 'allow' : 'forbid';
    report.mapped(name, at('concurrent'), 'crons[0].concurrency');
  }
  if (typeof job.epsilon === 'string') {
    const s = isoDurationSeconds(job.epsilon);
    const d = s === undefined ? undefined : secondsToDuration(s);
    if (d !== undefined && d !== '0s') {
      cron.deadline = d;
      report.mapped(name, at('epsilon'), 'crons[0].deadline', 'startingDeadlineSeconds');
    } else report.dropped(name, at('epsilon'), 'not an ISO-8601 duration');
  }
  const resources: { cpu?: string | number; memory?: string } = {};
  const cpu = coresToCpu(job.cpus);
  if (cpu !== undefined) {
    resources.cpu = cpu;
    report.mapped(name, at('cpus'), 'crons[0].resources.cpu', 'the limit');
  }
  const mem = mibToMemory(job.mem);
  if (mem !== undefined) {
    resources.memory = mem;
    report.mapped(name, at('mem'), 'crons[0].resources.memory', 'MiB; the limit');
  }
  if (Object.keys(resources).length > 0) cron.resources = resources;
  if (Array.isArray(job.environmentVariables)) {
    const env = nameValueEnv(job.environmentVariables, at('environmentVariables'), name, report);
    if (env) m.env = env;
  }
  if (job.disabled === true)
    report.approximated(
      name,
      at('disabled'),
      'crons',
      'the job was disabled: it is imported and will run; remove the cron to keep it off',
    );
  else if (job.disabled !== undefined) report.mapped(name, at('disabled'), 'crons');
  if (job.parents !== undefined)
    report.dropped(
      name,
      at('parents'),
      'job dependencies are not modelled: the cron runs on its schedule only',
    );
  for (const [k, why] of Object.entries(DROP_REASONS))
    if (job[k] !== undefined) report.dropped(name, at(k), why);
  for (const k of Object.keys(job))
    if (RUNTIME.has(k))
      report.dropped(name, at(k), 'runtime state reported by the Chronos API, not configuration');
  m.crons = [cron];
  return { manifest: m, version, raw: job };
}
