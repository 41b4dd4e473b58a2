// LoadedApp + service + environment + version → Workload, every default filled. Problems are
// collected and thrown together as one InvalidInputError, located in the file that caused them.
import { FerryError, InvalidInputError, usageError, type Issue } from '../errors.ts';
import type { LoadedApp, LoadedService } from '../manifest/load.ts';
import { formatPath, type KeyPath } from '../manifest/locate.ts';
import type { EnvironmentOverlay, ServiceManifest } from '../manifest/schema.ts';
import { didYouMean } from '../manifest/suggest.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { parseDurationSeconds, parseDuration } from './duration.ts';
import { interpolate, type Variables } from './interpolate.ts';
import { mergeOverlay } from './overlay.ts';
import { resolveEnvironment, resolvePolicy, toConcurrency, toToleration } from './platform.ts';
import { parseCpu, parseMemory } from './quantity.ts';
import { parseSchedule } from './schedule.ts';
import type {
  Alerts,
  Autoscale,
  Check,
  Command,
  Cron,
  EnvSource,
  EnvVar,
  Features,
  Health,
  Migration,
  Placement,
  Port,
  Resources,
  Route,
  Toleration,
  Volume,
  Workload,
} from './types.ts';

export const VERSION_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DEFAULTS = {
  instances: 1,
  cpu: '500m',
  memory: '512Mi',
  health: { initialDelay: '0s', period: '10s', timeout: '2s', failureThreshold: 3, startup: '60s' },
  cron: { deadline: '5m', timeout: '1h' },
  migrationTimeout: '10m',
  check: { timeout: '2m', expect: 200 },
  autoscaleCpu: '70%',
} as const;

/** The service body an environment sees: the base manifest with that environment's overlay merged. */
export type EffectiveManifest = Omit<ServiceManifest, 'environments' | '$schema'>;

export function effectiveManifest(service: ServiceManifest, env: string): EffectiveManifest {
  const { environments, $schema: _schema, ...base } = service;
  const overlay: EnvironmentOverlay | null | undefined = environments?.[env];
  return mergeOverlay<EffectiveManifest>(base, overlay);
}

/** The environments a service runs in, in platform order. */
export function serviceEnvironments(app: LoadedApp, s: LoadedService): string[] {
  const all = Object.keys(app.platform.manifest.environments);
  const own = s.manifest.environments;
  return own === undefined ? all : all.filter((e) => e in own);
}

export function toCommand(c: string | readonly string[]): Command {
  return typeof c === 'string' ? { kind: 'shell', script: c } : { kind: 'exec', argv: [...c] };
}

function percent(text: string): number {
  return Number(text.replace('%', ''));
}

/** True when the first path segment names a registry (has a dot or a port, or is localhost). */
function namesRegistry(image: string): boolean {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

class Collector {
  readonly issues: Issue[] = [];
  constructor(
    private readonly s: LoadedService,
    private readonly env: string,
    private readonly overlay: EnvironmentOverlay | null | undefined,
  ) {}
  /** Locate in the overlay when it sets the top-level key, otherwise in the base manifest. */
  add(path: KeyPath, message: string, hint?: string): void {
    const top = path[0];
    const inOverlay = this.overlay && typeof top === 'string' && top in this.overlay;
    const full: KeyPath = inOverlay ? ['environments', this.env, ...path] : path;
    const loc = this.s.locate(full);
    this.issues.push({ path: formatPath(full), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
  }
  /** Runs fn; a FerryError becomes an issue at path, and the fallback is returned. */
  try<T>(path: KeyPath, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof FerryError) {
        this.add(path, err.message, err.hint);
        return fallback;
      }
      throw err;
    }
  }
}

function resolveResources(
  r: { cpu?: string | number | undefined; memory?: string | undefined } | undefined,
  base: Resources | undefined,
  c: Collector,
  path: KeyPath,
): Resources {
  return {
    cpuMillis:
      r?.cpu !== undefined
        ? c.try([...path, 'cpu'], () => parseCpu(r.cpu!), 500)
        : (base?.cpuMillis ?? parseCpu(DEFAULTS.cpu)),
    memoryBytes:
      r?.memory !== undefined
        ? c.try([...path, 'memory'], () => parseMemory(r.memory!), 512 * 1024 ** 2)
        : (base?.memoryBytes ?? parseMemory(DEFAULTS.memory)),
  };
}

function resolvePorts(m: EffectiveManifest, c: Collector): Port[] {
  if (m.port !== undefined && m.ports !== undefined) {
    c.add(['port'], 'give either port or ports, not both', 'move this port into ports');
  }
  if (m.ports) {
    const ports = m.ports.map((p, i) => ({
      name: p.name ?? (i === 0 ? 'http' : `port-${p.port}`),
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      if (seen.has(p.name))
        c.add(['ports', i, 'name'], `port name "${p.name}" is used twice`, 'name each port');
      seen.add(p.name);
    });
    return ports;
  }
  return m.port !== undefined ? [{ name: 'http', port: m.port, protocol: 'TCP' }] : [];
}

function portName(
  ref: string | number | undefined,
  ports: readonly Port[],
  c: Collector,
  path: KeyPath,
): string {
  if (ref === undefined) {
    const first = ports[0];
    if (!first) {
      c.add(
        path.slice(0, -1),
        'needs a port, but the service declares none',
        'add `port: <number>` to the service',
      );
      return 'http';
    }
    return first.name;
  }
  const found = ports.find((p) => (typeof ref === 'number' ? p.port === ref : p.name === ref));
  if (!found) {
    c.add(
      path,
      `port ${JSON.stringify(ref)} is not one of the service's ports`,
      ports.length
        ? didYouMean(
            String(ref),
            ports.map((p) => (typeof ref === 'number' ? String(p.port) : p.name)),
            'ports',
          )
        : 'add `port: <number>` to the service',
    );
    return String(ref);
  }
  return found.name;
}

function resolveHealth(m: EffectiveManifest, ports: readonly Port[], c: Collector): Health | undefined {
  const h = m.health;
  if (h === undefined) return undefined;
  const o = typeof h === 'string' ? { path: h } : h;
  const d = DEFAULTS.health;
  const kinds = [o.path !== undefined, o.command !== undefined, o.tcp === true].filter(Boolean).length;
  if (kinds !== 1) {
    c.add(
      ['health'],
      kinds === 0 ? 'say how to probe: path, command or tcp' : 'give only one of path, command, tcp',
    );
  }
  let action: Health['action'];
  if (o.command !== undefined) action = { kind: 'exec', command: toCommand(o.command) };
  else if (o.tcp === true) action = { kind: 'tcp', port: portName(o.port, ports, c, ['health', 'port']) };
  else action = { kind: 'http', path: o.path ?? '/', port: portName(o.port, ports, c, ['health', 'port']) };
  const dur = (key: 'initialDelay' | 'period' | 'timeout' | 'startup'): number =>
    c.try(['health', key], () => parseDurationSeconds(o[key] ?? d[key]), 1);
  return {
    action,
    initialDelaySeconds: dur('initialDelay'),
    periodSeconds: Math.max(1, dur('period')),
    timeoutSeconds: Math.max(1, dur('timeout')),
    failureThreshold: o.failureThreshold ?? d.failureThreshold,
    startupSeconds: dur('startup'),
  };
}

function envSource(value: string): EnvSource | undefined {
  const secret = /^secret:([a-z0-9][-a-z0-9.]*)#([-._a-zA-Z0-9]+)$/.exec(value);
  if (secret) return { kind: 'secret', name: secret[1] ?? '', key: secret[2] ?? '' };
  const vault = /^vault:([^#\s]+)#([-._a-zA-Z0-9]+)$/.exec(value);
  if (vault) return { kind: 'vault', path: vault[1] ?? '', key: vault[2] ?? '' };
  return undefined;
}

function resolveEnv(
  m: EffectiveManifest,
  platformEnv: Readonly<Record<string, string | number | boolean>>,
  vars: Variables,
  c: Collector,
): EnvVar[] {
  const out = new Map<string, EnvSource>();
  const add = (name: string, raw: string | number | boolean, path: KeyPath): void => {
    if (typeof raw !== 'string') {
      out.set(name, { kind: 'literal', value: String(raw) });
      return;
    }
    const text = c.try(path, () => interpolate(raw, vars), raw);
    out.set(name, envSource(text) ?? { kind: 'literal', value: text });
  };
  for (const [k, v] of Object.entries(platformEnv)) add(k, v, ['env', k]);
  for (const [k, v] of Object.entries(m.env ?? {})) add(k, v, ['env', k]);
  for (const [k, v] of Object.entries(m.secrets ?? {})) {
    if (m.env && k in m.env) c.add(['secrets', k], `${k} is set in both env and secrets`, 'keep one of them');
    add(k, v, ['secrets', k]);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, source]) => ({ name, source }));
}

function resolveFeatures(m: EffectiveManifest, service: string): Features {
  const f = m.features ?? {};
  const dbName = service.replace(/-/g, '_');
  const on = <T>(v: boolean | T | undefined): T | undefined =>
    v === undefined || v === false ? undefined : v === true ? ({} as T) : v;
  const pg = (v: boolean | { database?: string; user?: string; schema?: string } | undefined) => {
    const o = on(v);
    if (!o) return undefined;
    const database = o.database ?? dbName;
    return { database, user: o.user ?? database, schema: o.schema ?? 'public' };
  };
  const mongo = on(f.mongo);
  const rabbit = on(f.rabbitmq);
  const redis = on(f.redis);
  const kafka = on(f.kafka);
  return {
    postgres: pg(f.postgres),
    mysql: pg(f.mysql),
    mongo: mongo ? { database: mongo.database ?? dbName } : undefined,
    rabbitmq: rabbit ? { vhost: rabbit.vhost ?? '/' } : undefined,
    redis: redis ? { db: redis.db ?? 0 } : undefined,
    kafka: kafka ? { topics: [...(kafka.topics ?? [])] } : undefined,
  };
}

function resolveCrons(
  m: EffectiveManifest,
  base: Resources,
  defaultConcurrency: Workload['policy'],
  c: Collector,
): Cron[] {
  const seen = new Set<string>();
  return (m.crons ?? []).map((cr, i) => {
    if (seen.has(cr.name))
      c.add(['crons', i, 'name'], `cron name "${cr.name}" is used twice`, 'name each cron');
    seen.add(cr.name);
    const schedule = c.try(['crons', i, 'schedule'], () => parseSchedule(cr.schedule, cr.timezone), {
      cron: '0 0 * * *',
      source: cr.schedule,
      format: 'cron' as const,
      timezone: cr.timezone,
    });
    return {
      name: cr.name,
      schedule,
      command: toCommand(cr.command),
      concurrency: cr.concurrency ? toConcurrency(cr.concurrency) : defaultConcurrency.cronConcurrency,
      startingDeadlineSeconds: c.try(
        ['crons', i, 'deadline'],
        () => parseDurationSeconds(cr.deadline ?? DEFAULTS.cron.deadline),
        300,
      ),
      activeDeadlineSeconds: c.try(
        ['crons', i, 'timeout'],
        () => parseDurationSeconds(cr.timeout ?? DEFAULTS.cron.timeout),
        3600,
      ),
      resources: resolveResources(cr.resources, base, c, ['crons', i, 'resources']),
    };
  });
}

function resolveMigration(m: EffectiveManifest, c: Collector): Migration | undefined {
  const mg = m.migrations;
  if (!mg) return undefined;
  return {
    command: toCommand(mg.command),
    down: mg.down === undefined ? undefined : toCommand(mg.down),
    timeoutSeconds: c.try(
      ['migrations', 'timeout'],
      () => parseDurationSeconds(mg.timeout ?? DEFAULTS.migrationTimeout),
      600,
    ),
  };
}

function resolveRoutes(
  m: EffectiveManifest,
  service: string,
  env: string,
  domain: string | undefined,
  ports: readonly Port[],
  c: Collector,
): Route[] {
  return (m.routes ?? []).map((r, i) => {
    let host = r.host?.replace(/\{service\}/g, service).replace(/\{env\}/g, env);
    if (host === undefined) {
      if (domain === undefined) {
        c.add(
          ['routes', i],
          `environment "${env}" has no domain, so the route needs a host`,
          'add host: <name>, or a domain to the environment',
        );
        host = service;
      } else host = `${service}.${domain}`;
    }
    return {
      host,
      path: r.path ?? '/',
      public: r.public ?? false,
      allow: [...(r.allow ?? [])],
      port: portName(r.port, ports, c, ['routes', i, 'port']),
    };
  });
}

function resolveChecks(m: EffectiveManifest, routes: readonly Route[], tls: boolean, c: Collector): Check[] {
  return (m.checks ?? []).map((ch, i): Check => {
    const timeoutSeconds = c.try(
      ['checks', i, 'timeout'],
      () => parseDurationSeconds(ch.timeout ?? DEFAULTS.check.timeout),
      120,
    );
    if ((ch.command === undefined) === (ch.http === undefined)) {
      c.add(
        ['checks', i],
        ch.command === undefined ? 'a check needs command or http' : 'give command or http, not both',
      );
    }
    if (ch.command !== undefined)
      return { name: ch.name, kind: 'command', command: toCommand(ch.command), timeoutSeconds };
    let url = ch.http ?? '/';
    if (url.startsWith('/')) {
      const route = routes[0];
      if (!route)
        c.add(['checks', i, 'http'], 'a path needs a route to reach', 'give a full URL, or add a route');
      else url = `${tls ? 'https' : 'http'}://${route.host}${route.path.replace(/\/$/, '')}${url}`;
    }
    return { name: ch.name, kind: 'http', url, expect: ch.expect ?? DEFAULTS.check.expect, timeoutSeconds };
  });
}

function resolveAlerts(m: EffectiveManifest, c: Collector): Alerts | undefined {
  const a = m.alerts;
  if (!a) return undefined;
  return {
    replicas: a.replicas ?? true,
    errors5xxRatio: a.errors5xx === undefined ? undefined : percent(a.errors5xx) / 100,
    latencyP99Seconds:
      a.latencyP99 === undefined
        ? undefined
        : c.try(['alerts', 'latencyP99'], () => parseDuration(a.latencyP99!), 1),
  };
}

function resolveVolumes(m: EffectiveManifest, c: Collector): Volume[] {
  return (m.volumes ?? []).map((v, i) => ({
    name: v.name,
    path: v.path,
    sizeBytes: c.try(['volumes', i, 'size'], () => parseMemory(v.size), 1024 ** 3),
    storageClass: v.storageClass,
    access: v.access ?? 'ReadWriteOnce',
  }));
}

function resolveAutoscale(m: EffectiveManifest, c: Collector): Autoscale | undefined {
  const a = m.autoscale;
  if (!a) return undefined;
  if (a.min > a.max) c.add(['autoscale', 'min'], `min (${a.min}) is above max (${a.max})`);
  const target = percent(a.cpu ?? DEFAULTS.autoscaleCpu);
  if (target < 1 || target > 100) c.add(['autoscale', 'cpu'], `expected 1% to 100%, got ${a.cpu ?? ''}`);
  return { min: a.min, max: a.max, cpuTargetPercent: target };
}

type PlacementInput = NonNullable<ServiceManifest['placement']>;

function resolvePlacement(
  envPlacement: PlacementInput | undefined,
  own: PlacementInput | undefined,
  policy: Workload['policy'],
): Placement {
  const spot = own?.spot ?? envPlacement?.spot ?? false;
  const nodeSelector: Record<string, string> = {
    ...(spot ? policy.spot.nodeSelector : {}),
    ...(envPlacement?.nodeSelector ?? {}),
    ...(own?.nodeSelector ?? {}),
  };
  const tolerations: Toleration[] = [];
  const seen = new Set<string>();
  for (const t of [
    ...(spot ? policy.spot.tolerations : []),
    ...(envPlacement?.tolerations ?? []).map(toToleration),
    ...(own?.tolerations ?? []).map(toToleration),
  ]) {
    const key = canonicalJson(t);
    if (!seen.has(key)) tolerations.push(t);
    seen.add(key);
  }
  const sorted = Object.fromEntries(Object.entries(nodeSelector).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { spot, nodeSelector: sorted, tolerations };
}

function findService(app: LoadedApp, service: string): LoadedService {
  const s = app.services.find((x) => x.name === service);
  if (!s) {
    throw usageError(
      'E_UNKNOWN_SERVICE',
      `no service named "${service}"`,
      didYouMean(
        service,
        app.services.map((x) => x.name),
        'services',
      ),
    );
  }
  return s;
}

export function checkVersion(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw usageError(
      'E_VERSION',
      `"${version}" is not a valid version: it becomes the image tag`,
      'use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters',
    );
  }
}

export function resolveWorkload(app: LoadedApp, service: string, env: string, version: string): Workload {
  checkVersion(version);
  const s = findService(app, service);
  const envNames = Object.keys(app.platform.manifest.environments);
  if (!envNames.includes(env)) {
    throw usageError(
      'E_UNKNOWN_ENV',
      `no environment named "${env}"`,
      didYouMean(env, envNames, 'environments'),
    );
  }
  const runsIn = serviceEnvironments(app, s);
  if (!runsIn.includes(env)) {
    throw usageError(
      'E_NOT_IN_ENV',
      `service "${service}" does not run in environment "${env}"`,
      `it runs in: ${runsIn.join(', ') || 'none'}; add ${env} to its environments`,
    );
  }
  const overlay = s.manifest.environments?.[env];
  const c = new Collector(s, env, overlay);
  const m = effectiveManifest(s.manifest, env);
  const pm = app.platform.manifest;
  const envManifest = pm.environments[env] ?? null;
  const policy = resolvePolicy(pm.policy);
  const environment = resolveEnvironment(env, envManifest, policy);

  const registry = policy.registry;
  if (/[:@]/.test(m.image.split('/').pop() ?? '')) {
    c.add(
      ['image'],
      `image "${m.image}" carries a tag or digest`,
      'write the repository only: the tag is the version given at deploy time',
    );
  }
  const imageRepository =
    registry && !namesRegistry(m.image) ? `${registry.replace(/\/$/, '')}/${m.image}` : m.image;
  const vars: Variables = {
    service,
    env,
    version,
    namespace: environment.namespace,
    ...(environment.domain !== undefined ? { domain: environment.domain } : {}),
  };
  const ports = resolvePorts(m, c);
  const resources = resolveResources(m.resources, undefined, c, ['resources']);
  const routes = resolveRoutes(m, service, env, environment.domain, ports, c);
  const workload: Workload = {
    service,
    environment,
    version,
    imageRepository,
    image: `${imageRepository}:${version}`,
    command: m.command === undefined ? undefined : toCommand(m.command),
    args: m.args === undefined ? undefined : [...m.args],
    ports,
    health: resolveHealth(m, ports, c),
    instances: m.instances ?? DEFAULTS.instances,
    resources,
    env: resolveEnv(m, envManifest?.env ?? {}, vars, c),
    features: resolveFeatures(m, service),
    migration: resolveMigration(m, c),
    crons: resolveCrons(m, resources, policy, c),
    routes,
    checks: resolveChecks(m, routes, environment.tls.kind !== 'none', c),
    alerts: resolveAlerts(m, c),
    volumes: resolveVolumes(m, c),
    autoscale: resolveAutoscale(m, c),
    placement: resolvePlacement(envManifest?.placement, m.placement, policy),
    policy,
    manifestDigest: manifestDigest(app, s, env),
  };
  if (c.issues.length > 0) throw new InvalidInputError(c.issues);
  return workload;
}

/**
 * sha256 over canonical JSON of what this (service, environment) was built from: the service
 * manifest with the environment's overlay applied, the platform's entry for the environment and
 * the policy. Comments, key order and formatting do not change it; neither do the version or
 * other environments' overrides.
 */
export function manifestDigest(app: LoadedApp, s: LoadedService, env: string): string {
  const pm = app.platform.manifest;
  return sha256Hex(
    canonicalJson({
      service: effectiveManifest(s.manifest, env),
      environment: { name: env, ...(pm.environments[env] ?? {}) },
      policy: pm.policy ?? {},
    }),
  );
}

/** Every (selected) service that runs in `env`, sorted by service name. Problems of all services at once. */
export function listWorkloads(
  app: LoadedApp,
  env: string,
  version: string,
  services?: readonly string[],
): Workload[] {
  checkVersion(version);
  const envNames = Object.keys(app.platform.manifest.environments);
  if (!envNames.includes(env)) {
    throw usageError(
      'E_UNKNOWN_ENV',
      `no environment named "${env}"`,
      didYouMean(env, envNames, 'environments'),
    );
  }
  const selected =
    services && services.length > 0 ? [...new Set(services)].map((n) => findService(app, n)) : app.services;
  const out: Workload[] = [];
  const issues: Issue[] = [];
  for (const s of [...selected].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!serviceEnvironments(app, s).includes(env)) {
      if (services && services.length > 0) resolveWorkload(app, s.name, env, version); // throws E_NOT_IN_ENV
      continue;
    }
    try {
      out.push(resolveWorkload(app, s.name, env, version));
    } catch (err) {
      if (err instanceof InvalidInputError) issues.push(...err.issues);
      else throw err;
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return out;
}
