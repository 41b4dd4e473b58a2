// The `swarm` render target: one compose stack file (`docker stack deploy -c`) for the workloads of
// one environment — what ferry's manifest means on Docker Swarm, for running both platforms side by
// side during a migration. Routes become Traefik labels; crons become swarm-cronjob services
// (crazymax/swarm-cronjob labels); secrets become external Swarm secrets mounted as files.
import type { Command, Cron, Environment, Health, Workload } from '../../model/types.ts';
import { featureEnv } from '../../model/feature-secrets.ts';
import type { RenderOptions, RenderTarget } from '../target.ts';

type Obj = Record<string, unknown>;

function argv(c: Command): string[] {
  return c.kind === 'shell' ? ['/bin/sh', '-c', c.script] : [...c.argv];
}

function cpus(millis: number): string {
  return String(millis / 1000);
}

function bytes(n: number): string {
  const mib = 1024 * 1024;
  return n % mib === 0 ? `${n / mib}M` : String(n);
}

function seconds(s: number): string {
  return `${s}s`;
}

function healthcheck(h: Health, ports: Workload['ports']): Obj {
  let test: string[];
  const a = h.action;
  if (a.kind === 'exec')
    test = a.command.kind === 'shell' ? ['CMD-SHELL', a.command.script] : ['CMD', ...a.command.argv];
  else {
    const port =
      typeof a.port === 'number'
        ? a.port
        : (ports.find((p) => p.name === a.port)?.port ?? ports[0]?.port ?? 80);
    test =
      a.kind === 'http'
        ? ['CMD-SHELL', `wget -q -O /dev/null http://127.0.0.1:${port}${a.path} || exit 1`]
        : ['CMD-SHELL', `nc -z 127.0.0.1 ${port} || exit 1`];
  }
  return {
    test,
    interval: seconds(h.periodSeconds),
    timeout: seconds(h.timeoutSeconds),
    retries: h.failureThreshold,
    start_period: seconds(h.startupSeconds),
  };
}

function environment(w: Workload): Obj | undefined {
  const env: Obj = {};
  for (const e of w.env) if (e.source.kind === 'literal') env[e.name] = e.source.value;
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Secret env vars → Swarm secrets (files under /run/secrets/<NAME>); top-level: external. */
function secretRefs(w: Workload): { refs: Obj[]; top: Record<string, Obj> } {
  const refs: Obj[] = [];
  const top: Record<string, Obj> = {};
  for (const e of w.env) {
    if (e.source.kind === 'literal') continue;
    const name =
      e.source.kind === 'secret' ? e.source.name : e.source.path.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
    const key = e.source.key;
    top[key] = { external: true, name };
    refs.push({ source: key, target: e.name });
  }
  return { refs, top };
}

function resources(r: { cpuMillis: number; memoryBytes: number }, w: Workload): Obj {
  return {
    limits: { cpus: cpus(r.cpuMillis), memory: bytes(r.memoryBytes) },
    reservations: {
      cpus: cpus(Math.max(1, Math.round(r.cpuMillis * w.policy.cpuRequestRatio))),
      memory: bytes(Math.max(1, Math.round(r.memoryBytes * w.policy.memoryRequestRatio))),
    },
  };
}

function routeLabels(w: Workload): Obj {
  const labels: Obj = {};
  w.routes.forEach((r, i) => {
    const router = `${w.service}-${i}`;
    const rule = r.path === '/' ? `Host(\`${r.host}\`)` : `Host(\`${r.host}\`) && PathPrefix(\`${r.path}\`)`;
    labels[`traefik.http.routers.${router}.rule`] = rule;
    if (r.allow.length > 0) {
      // Traefik v2's source allow-list (ipAllowList in v3)
      const middleware = `${router}-allow`;
      labels[`traefik.http.middlewares.${middleware}.ipwhitelist.sourcerange`] = [...new Set(r.allow)].join(
        ',',
      );
      labels[`traefik.http.routers.${router}.middlewares`] = middleware;
    }
  });
  if (w.routes.length > 0) {
    labels['traefik.enable'] = 'true';
    const port = w.ports.find((p) => p.name === w.routes[0]?.port) ?? w.ports[0];
    if (port) labels[`traefik.http.services.${w.service}.loadbalancer.server.port`] = String(port.port);
  }
  return labels;
}

export function renderSwarmService(w: Workload): Obj {
  const s: Obj = { image: w.image };
  if (w.command) s.entrypoint = argv(w.command);
  if (w.args && w.args.length > 0) s.command = [...w.args];
  const env = environment(w);
  if (env) s.environment = env;
  if (w.ports.length > 0)
    s.ports = w.ports.map((p) => ({ target: p.port, protocol: p.protocol.toLowerCase(), mode: 'ingress' }));
  if (w.health) s.healthcheck = healthcheck(w.health, w.ports);
  const { refs } = secretRefs(w);
  if (refs.length > 0) s.secrets = refs;
  if (w.volumes.length > 0) s.volumes = w.volumes.map((v) => `${v.name}:${v.path}`);
  const deploy: Obj = {
    replicas: w.autoscale?.min ?? w.instances,
    resources: resources(w.resources, w),
    update_config: { order: 'start-first', failure_action: 'rollback' },
    restart_policy: { condition: 'any' },
  };
  const constraints = Object.entries(w.placement.nodeSelector).map(([k, v]) => `node.labels.${k} == ${v}`);
  if (constraints.length > 0) deploy.placement = { constraints };
  const labels = routeLabels(w);
  if (Object.keys(labels).length > 0) deploy.labels = labels;
  s.deploy = deploy;
  return s;
}

/** A cron as a crazymax/swarm-cronjob service: replicas 0, started on schedule. */
export function renderSwarmCron(w: Workload, c: Cron): Obj {
  const labels: Obj = {
    'swarm.cronjob.enable': 'true',
    'swarm.cronjob.schedule': c.schedule.cron,
    'swarm.cronjob.skip-running': c.concurrency === 'Allow' ? 'false' : 'true',
    'ferry.cron.service': w.service,
    'ferry.cron.name': c.name,
  };
  if (c.schedule.timezone) labels['swarm.cronjob.timezone'] = c.schedule.timezone;
  const s: Obj = { image: w.image, entrypoint: argv(c.command) };
  const env = environment(w);
  if (env) s.environment = env;
  s.deploy = {
    mode: 'replicated',
    replicas: 0,
    resources: resources(c.resources, w),
    restart_policy: { condition: 'none' },
    labels,
  };
  return s;
}

export function renderSwarmStack(workloads: readonly Workload[]): Obj {
  const services: Obj = {};
  const volumes: Obj = {};
  const secrets: Obj = {};
  for (const w of workloads) {
    services[w.service] = renderSwarmService(w);
    for (const c of w.crons) services[`${w.service}-${c.name}`] = renderSwarmCron(w, c);
    for (const v of w.volumes) volumes[v.name] = {};
    Object.assign(secrets, secretRefs(w).top);
  }
  const stack: Obj = { version: '3.8', services };
  if (Object.keys(volumes).length > 0) stack.volumes = volumes;
  if (Object.keys(secrets).length > 0) stack.secrets = secrets;
  return escapeDollars(stack) as Obj;
}

/**
 * `docker stack deploy` interpolates `$VAR` in every value of the file from the deployer's shell;
 * a `$` meant for the container (`celery@$HOSTNAME` in a health check) is written `$$`.
 */
function escapeDollars(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/\$/g, '$$$$');
  if (Array.isArray(v)) return v.map(escapeDollars);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeDollars(x)]));
  return v;
}

/**
 * What the stack cannot express, one line per route: a Traefik router has no visibility, so an
 * internal route is served wherever Traefik listens (its allow list, if any, is rendered).
 */
export function swarmWarnings(workloads: readonly Workload[]): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    const own = new Set(w.env.map((e) => e.name));
    const { bases, vars } = featureEnv(w);
    const wired = [...bases, ...vars].map((v) => v.name).filter((n) => !own.has(n));
    if (wired.length > 0)
      out.push(
        `${w.service}: ${wired.join(', ')} (from features) not rendered: set them in the stack or as Swarm secrets`,
      );
    if (w.autoscale)
      out.push(
        `${w.service}: Swarm has no autoscaling: ${w.autoscale.min} replicas (autoscale.min), not ${w.autoscale.min}–${w.autoscale.max}`,
      );
    for (const r of w.routes)
      if (!r.public)
        out.push(
          `${w.service}: route ${r.host}${r.path} is internal, but a Traefik router has no visibility: it is served wherever Traefik listens${
            r.allow.length > 0
              ? ' (its allow list is rendered as an ipWhiteList middleware)'
              : ' (add an allow list to limit it)'
          }`,
        );
  }
  return out;
}

export const swarmTarget: RenderTarget = {
  name: 'swarm',
  description: 'a Docker Swarm stack file (compose with deploy:, Traefik labels, swarm-cronjob crons)',
  render(_env: Environment, workloads: readonly Workload[], _opts: RenderOptions): unknown[] {
    return [renderSwarmStack(workloads)];
  },
  toJson(documents: readonly unknown[]): unknown {
    return documents[0];
  },
  warnings(_env: Environment, workloads: readonly Workload[]): string[] {
    return swarmWarnings(workloads);
  },
};
