// The `marathon` render target: a Marathon group with one app per service, followed by one Chronos
// job per cron — what ferry's manifest means on Mesos, for running both platforms side by side
// (ANNA Money's method). Schedules become ISO-8601 repeating intervals (scheduleToChronos), or the
// render fails with the reason when a cron has no fixed period.
import { scheduleToChronos } from '../../model/schedule.ts';
import type { Command, Cron, Environment, Health, Workload } from '../../model/types.ts';
import { featureEnv } from '../../model/feature-secrets.ts';
import type { RenderOptions, RenderTarget } from '../target.ts';

type Obj = Record<string, unknown>;

const MIB = 1024 * 1024;
/** A fixed start for Chronos schedules, so output is deterministic. */
const EPOCH = new Date('2024-01-01T00:00:00Z');

function cores(millis: number): number {
  return millis / 1000;
}

function mib(bytes: number): number {
  return Math.ceil(bytes / MIB);
}

function healthCheck(h: Health, ports: Workload['ports']): Obj {
  const a = h.action;
  const timing = {
    gracePeriodSeconds: h.startupSeconds,
    intervalSeconds: h.periodSeconds,
    timeoutSeconds: h.timeoutSeconds,
    maxConsecutiveFailures: h.failureThreshold,
  };
  if (a.kind === 'exec') {
    const value =
      a.command.kind === 'shell'
        ? a.command.script
        : a.command.argv.map((x) => (/^[\w./:=-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`)).join(' ');
    return { protocol: 'COMMAND', command: { value }, ...timing };
  }
  const idx =
    typeof a.port === 'number'
      ? ports.findIndex((p) => p.port === a.port)
      : ports.findIndex((p) => p.name === a.port);
  const portIndex = {
    ...(idx >= 0 ? { portIndex: idx } : typeof a.port === 'number' ? { port: a.port } : { portIndex: 0 }),
  };
  return a.kind === 'http'
    ? { protocol: 'MESOS_HTTP', path: a.path, ...portIndex, ...timing }
    : { protocol: 'MESOS_TCP', ...portIndex, ...timing };
}

/** One variable as Marathon sees it: a plain value, a secret (source "<secret>/<key>"), or one
 *  built with Kubernetes' $(VAR) expansion, which Marathon does not do. */
type MarathonVar =
  { kind: 'value'; value: string } | { kind: 'secret'; source: string } | { kind: 'expanded'; value: string };

/** The variables ferry's Kubernetes render sets: the features' wiring, then the manifest's own. */
function variables(w: Workload): Map<string, MarathonVar> {
  const vars = new Map<string, MarathonVar>();
  const { bases, vars: wired } = featureEnv(w);
  for (const v of [...bases, ...wired]) {
    const ref = v.valueFrom?.secretKeyRef;
    if (ref) vars.set(v.name, { kind: 'secret', source: `${ref.name}/${ref.key}` });
    else if (/\$\([A-Z0-9_]+\)/.test(v.value ?? ''))
      vars.set(v.name, { kind: 'expanded', value: v.value ?? '' });
    else vars.set(v.name, { kind: 'value', value: v.value ?? '' });
  }
  for (const e of w.env)
    vars.set(
      e.name,
      e.source.kind === 'literal'
        ? { kind: 'value', value: e.source.value }
        : {
            kind: 'secret',
            source:
              e.source.kind === 'secret'
                ? `${e.source.name}/${e.source.key}`
                : `${e.source.path}/${e.source.key}`,
          },
    );
  return vars;
}

function envAndSecrets(w: Workload): { env: Obj; secrets: Obj } {
  const env: Obj = {};
  const secrets: Obj = {};
  for (const [name, v] of variables(w)) {
    if (v.kind === 'value') env[name] = v.value;
    else if (v.kind === 'secret') {
      const id = `${name.toLowerCase().replace(/_/g, '-')}`;
      env[name] = { secret: id };
      secrets[id] = { source: v.source };
    }
  }
  return { env, secrets };
}

export function renderMarathonApp(w: Workload): Obj {
  const app: Obj = { id: `/${w.environment.namespace}/${w.service}` };
  if (w.command) {
    if (w.command.kind === 'shell') app.cmd = w.command.script;
    else app.args = [...w.command.argv, ...(w.args ?? [])];
  } else if (w.args && w.args.length > 0) app.args = [...w.args];
  if (w.command?.kind === 'shell' && w.args && w.args.length > 0) app.args = [...w.args];
  app.cpus = cores(w.resources.cpuMillis);
  app.mem = mib(w.resources.memoryBytes);
  app.instances = w.autoscale?.min ?? w.instances;
  const docker: Obj = { image: w.image, network: 'BRIDGE' };
  if (w.ports.length > 0)
    docker.portMappings = w.ports.map((p) => ({
      containerPort: p.port,
      hostPort: 0,
      protocol: p.protocol.toLowerCase(),
    }));
  const container: Obj = { type: 'DOCKER', docker };
  if (w.volumes.length > 0)
    container.volumes = w.volumes.map((v) => ({
      containerPath: v.path,
      mode: 'RW',
      persistent: { size: mib(v.sizeBytes) },
    }));
  app.container = container;
  const { env, secrets } = envAndSecrets(w);
  if (Object.keys(env).length > 0) app.env = env;
  if (Object.keys(secrets).length > 0) app.secrets = secrets;
  if (w.health) app.healthChecks = [healthCheck(w.health, w.ports)];
  const labels: Obj = {};
  if (w.routes.length > 0) {
    labels.HAPROXY_GROUP = w.routes.some((r) => r.public) ? 'external' : 'internal';
    labels.HAPROXY_0_VHOST = [...new Set(w.routes.map((r) => r.host))].join(',');
    // marathon-lb puts the path into a `path_beg` ACL, which matches any of several
    // space-separated prefixes; a route at `/` needs no path
    const paths = [...new Set(w.routes.map((r) => r.path))];
    if (!paths.includes('/')) labels.HAPROXY_0_PATH = paths.join(' ');
  }
  if (Object.keys(labels).length > 0) app.labels = labels;
  const constraints = Object.entries(w.placement.nodeSelector).map(([k, v]) => [k, 'CLUSTER', v]);
  if (constraints.length > 0) app.constraints = constraints;
  app.upgradeStrategy = { minimumHealthCapacity: 1, maximumOverCapacity: 0.25 };
  return app;
}

function isoSeconds(s: number): string {
  if (s % 3600 === 0) return `PT${s / 3600}H`;
  if (s % 60 === 0) return `PT${s / 60}M`;
  return `PT${s}S`;
}

function commandFields(c: Command): Obj {
  return c.kind === 'shell'
    ? { command: c.script, shell: true }
    : { command: c.argv[0] ?? '', arguments: c.argv.slice(1), shell: false };
}

export function renderChronosJob(w: Workload, c: Cron): Obj {
  const job: Obj = {
    name: `${w.service}-${c.name}`,
    schedule: c.schedule.format === 'iso8601' ? c.schedule.source : scheduleToChronos(c.schedule, EPOCH),
    ...commandFields(c.command),
    container: { type: 'DOCKER', image: w.image, network: 'BRIDGE' },
    cpus: cores(c.resources.cpuMillis),
    mem: mib(c.resources.memoryBytes),
    concurrent: c.concurrency === 'Allow',
    epsilon: isoSeconds(c.startingDeadlineSeconds),
    // Chronos takes plain values only: secret variables are left out, and a warning names them
    environmentVariables: [...variables(w)].flatMap(([name, v]) =>
      v.kind === 'value' ? [{ name, value: v.value }] : [],
    ),
  };
  if (c.schedule.timezone) job.scheduleTimeZone = c.schedule.timezone;
  return job;
}

/** Documents: the Marathon group first, then one Chronos job per cron (sorted by name). */
export function renderMarathon(env: Environment, workloads: readonly Workload[]): Obj[] {
  const group: Obj = { id: `/${env.namespace}`, apps: workloads.map(renderMarathonApp) };
  const jobs = workloads.flatMap((w) => w.crons.map((c) => renderChronosJob(w, c)));
  return [group, ...jobs];
}

/**
 * What marathon-lb labels cannot express, one line per route: one HAPROXY_GROUP per app (an
 * internal route of an app with public routes is served in the external group), no source
 * allow-list, and every host × path of the app is served.
 */
export function marathonWarnings(workloads: readonly Workload[]): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    if (w.autoscale)
      out.push(
        `${w.service}: Marathon has no autoscaling: ${w.autoscale.min} instances (autoscale.min), not ${w.autoscale.min}–${w.autoscale.max}`,
      );
    const external = w.routes.some((r) => r.public);
    const hosts = new Set(w.routes.map((r) => r.host));
    const paths = new Set(w.routes.map((r) => r.path));
    for (const r of w.routes) {
      const at = `${w.service}: route ${r.host}${r.path}`;
      if (!r.public && external)
        out.push(
          `${at} is internal, but marathon-lb has one HAPROXY_GROUP per app: it is served in the external group (move it to a service of its own)`,
        );
      if (r.allow.length > 0)
        out.push(
          `${at}: marathon-lb has no label for a source allow list; ${r.allow.join(',')} is not enforced`,
        );
    }
    const vars = [...variables(w)];
    const expanded = vars.filter(([, v]) => v.kind === 'expanded').map(([n]) => n);
    if (expanded.length > 0)
      out.push(
        `${w.service}: ${expanded.join(', ')} ${expanded.length === 1 ? 'is' : 'are'} built with $(VAR) expansion, which Marathon does not do: not set in the app or its Chronos jobs (set ${expanded.length === 1 ? 'it' : 'them'} in the app's environment on the old platform)`,
      );
    const secret = vars.filter(([, v]) => v.kind === 'secret').map(([n]) => n);
    for (const c of w.crons)
      if (secret.length > 0)
        out.push(
          `${w.service}: Chronos job ${w.service}-${c.name} takes plain values only: ${secret.join(', ')} (secret) not set — the job fails where it reads them; give the job its secrets on the old platform`,
        );
    if (hosts.size > 1 && paths.size > 1)
      out.push(
        `${w.service}: routes ${w.routes.map((r) => `${r.host}${r.path}`).join(', ')}: HAPROXY_0_VHOST and HAPROXY_0_PATH serve every host with every path`,
      );
    else if (paths.has('/') && paths.size > 1)
      out.push(
        `${w.service}: a route at / and others (${[...paths].filter((p) => p !== '/').join(', ')}): marathon-lb serves the whole host`,
      );
  }
  return out;
}

export const marathonTarget: RenderTarget = {
  name: 'marathon',
  description: 'a Marathon group (one app per service) and Chronos jobs (one per cron)',
  render(env: Environment, workloads: readonly Workload[], _opts: RenderOptions): unknown[] {
    return renderMarathon(env, workloads);
  },
  toJson(documents: readonly unknown[]): unknown {
    return { marathon: documents[0], chronos: documents.slice(1) };
  },
  warnings(_env: Environment, workloads: readonly Workload[]): string[] {
    return marathonWarnings(workloads);
  },
};
