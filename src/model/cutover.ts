// The cut-over of one environment as a typed plan: the platform file's `cutover.<env>` with every
// default filled, the moved hosts taken from the services' own routes, and the steps expanded so
// that every weight is one step. Bad input is reported all at once, located in the platform file.
import { InvalidInputError, usageError, type Issue } from '../errors.ts';
import type { Locate } from '../manifest/locate.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { formatPath, type KeyPath } from '../manifest/locate.ts';
import type { CutoverManifest, CutoverStepManifest } from '../manifest/schema-cutover.ts';
import { parseDurationSeconds } from './duration.ts';
import { toCommand } from './effective.ts';
import { listWorkloads } from './resolve.ts';
import type { Command, Environment } from './types.ts';

export type CutoverDriver = CutoverManifest['driver'];

/** Where the old platform answers: by DNS name (ExternalName) or by address (EndpointSlice). */
export interface OldBackend {
  target: { kind: 'host'; host: string } | { kind: 'address'; address: string };
  port: number;
  tls: boolean;
  /** the Host header the old platform expects, when it is not the request's own */
  hostHeader: string | undefined;
  /** the TLS server name to send (with tls) */
  tlsName: string | undefined;
}

export interface CutoverRoute {
  host: string;
  path: string;
}

export interface CutoverService {
  service: string;
  /** the new platform's Service (ferry's) and the port number the routes use */
  serviceName: string;
  port: number;
  routes: readonly CutoverRoute[];
  old: OldBackend;
}

export interface CutoverCheck {
  name: string;
  probe: { kind: 'http'; url: string; expect: number } | { kind: 'command'; command: Command };
  timeoutSeconds: number;
}

export interface UserAction {
  label: string;
  command: Command | undefined;
  check: CutoverCheck | undefined;
  confirm: string | undefined;
  timeoutSeconds: number;
}

/** One step of the runbook. Weights are percent of requests to the new platform. */
export type CutoverStep =
  | { kind: 'maintenance'; on: boolean }
  | { kind: 'drain'; action: UserAction }
  | { kind: 'run'; action: UserAction }
  | { kind: 'services'; command: Command | undefined }
  | { kind: 'weight'; weight: number; observeSeconds: number };

export interface MaintenancePage {
  /** ferry renders the page's Deployment from this image, or routes to a page running elsewhere */
  source: { kind: 'image'; image: string } | { kind: 'backend'; backend: OldBackend };
  retryAfterSeconds: number;
}

export interface CutoverPlan {
  /** the history record's name */
  name: string;
  environment: Environment;
  driver: CutoverDriver;
  gateway: { name: string; namespace: string | undefined; sectionName: string | undefined } | undefined;
  entryPoints: readonly string[];
  services: readonly CutoverService[];
  maintenance: MaintenancePage;
  steps: readonly CutoverStep[];
  checks: readonly CutoverCheck[];
  checkVia: string | undefined;
  forwardedFor: { url: string } | undefined;
  dns: { servers: readonly string[]; ttl: Readonly<Record<string, number>> };
}

/** ferry's page: nginx answering 503 with Retry-After from a ConfigMap (render/cutover/page.ts). */
export const DEFAULT_MAINTENANCE_IMAGE = 'nginxinc/nginx-unprivileged:1.27-alpine';
export const DEFAULT_OBSERVE_SECONDS = 300;
const DEFAULT_STEP_TIMEOUT = 600;

/** Problems of the platform file's cut-over, each located where it was written. */
class Problems {
  readonly issues: Issue[] = [];
  constructor(private readonly locate: Locate) {}
  add(at: KeyPath, message: string, hint?: string): void {
    const loc = this.locate(at);
    this.issues.push({ path: formatPath(at), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
  }
  throwIfAny(): void {
    if (this.issues.length > 0) throw new InvalidInputError(this.issues);
  }
}

function oldBackend(
  o: CutoverManifest['services'][string]['old'],
  at: KeyPath,
  issues: Problems,
): OldBackend {
  const tls = o.tls ?? false;
  let target: OldBackend['target'];
  if (o.host && o.address) {
    issues.add(at, 'give host or address, not both');
    target = { kind: 'host', host: o.host };
  } else if (o.address) target = { kind: 'address', address: o.address };
  else if (o.host) target = { kind: 'host', host: o.host };
  else {
    issues.add(
      at,
      'the old backend needs a host (its DNS name) or an address',
      'add host: <old load balancer name>',
    );
    target = { kind: 'host', host: 'missing.invalid' };
  }
  return {
    target,
    port: o.port ?? (tls ? 443 : 80),
    tls,
    hostHeader: o.hostHeader,
    tlsName: tls
      ? (o.tlsName ?? o.hostHeader ?? (target.kind === 'host' ? target.host : undefined))
      : undefined,
  };
}

function check(
  c: { name?: string; http?: string; expect?: number; command?: string | string[]; timeout?: string },
  name: string,
  at: KeyPath,
  issues: Problems,
  defaultTimeout: number,
): CutoverCheck | undefined {
  const timeoutSeconds = c.timeout ? parseDurationSeconds(c.timeout) : defaultTimeout;
  if (c.http && c.command) {
    issues.add(at, 'a check is an http URL or a command, not both');
    return undefined;
  }
  if (c.http) return { name, probe: { kind: 'http', url: c.http, expect: c.expect ?? 200 }, timeoutSeconds };
  if (c.command) return { name, probe: { kind: 'command', command: toCommand(c.command) }, timeoutSeconds };
  issues.add(at, 'a check needs http: <url> or command: <command>');
  return undefined;
}

function userAction(
  s: NonNullable<Extract<CutoverStepManifest, { run: unknown }>['run']>,
  label: string,
  at: KeyPath,
  issues: Problems,
): UserAction {
  const timeoutSeconds = s.timeout ? parseDurationSeconds(s.timeout) : DEFAULT_STEP_TIMEOUT;
  if (!s.command && !s.check && !s.confirm)
    issues.add(
      at,
      'this step does nothing',
      'give it a command, a check, or confirm: <what a person must confirm>',
    );
  return {
    label: s.name ?? label,
    command: s.command ? toCommand(s.command) : undefined,
    check: s.check ? check(s.check, s.name ?? label, [...at, 'check'], issues, timeoutSeconds) : undefined,
    confirm: s.confirm,
    timeoutSeconds,
  };
}

function steps(m: CutoverManifest, at: KeyPath, issues: Problems): CutoverStep[] {
  const out: CutoverStep[] = [];
  let last = 0;
  m.steps.forEach((s, i) => {
    const here = [...at, 'steps', i];
    if ('maintenance' in s) out.push({ kind: 'maintenance', on: s.maintenance === 'on' });
    else if ('drain' in s)
      out.push({ kind: 'drain', action: userAction(s.drain, 'drain', [...here, 'drain'], issues) });
    else if ('run' in s)
      out.push({ kind: 'run', action: userAction(s.run, `step ${i + 1}`, [...here, 'run'], issues) });
    else if ('services' in s)
      out.push({ kind: 'services', command: s.command ? toCommand(s.command) : undefined });
    else {
      const observeSeconds = s.observe ? parseDurationSeconds(s.observe) : DEFAULT_OBSERVE_SECONDS;
      for (const w of s.weights) {
        if (w <= last)
          issues.add(
            [...here, 'weights'],
            `weights must rise: ${w} % after ${last} %`,
            'abort is how traffic goes back; list the weights in rising order',
          );
        last = Math.max(last, w);
        out.push({ kind: 'weight', weight: w, observeSeconds });
      }
    }
  });
  if (last !== 100)
    issues.add(
      [...at, 'steps'],
      `the runbook ends with ${last} % of requests on the new platform`,
      'end the weights with 100',
    );
  const on = out.findIndex((s) => s.kind === 'maintenance' && s.on);
  const off = out.findIndex((s) => s.kind === 'maintenance' && !s.on);
  if (on >= 0 && (off < on || out.slice(off + 1).some((s) => s.kind === 'maintenance')))
    issues.add([...at, 'steps'], 'maintenance must be switched on once and off once, in that order');
  return out;
}

/** The plan of environment `env`'s cut-over. Throws InvalidInputError with every problem found. */
export function resolveCutover(app: LoadedApp, env: string): CutoverPlan {
  const m = app.platform.manifest.cutover?.[env];
  if (!m)
    throw usageError(
      'E_NO_CUTOVER',
      `environment "${env}" has no cut-over in ${app.platform.file ?? 'the platform file'}`,
      `add cutover: { ${env}: { driver, services, steps } } to the platform file (docs/cutover.md)`,
    );
  const at: KeyPath = ['cutover', env];
  const issues = new Problems(app.platform.locate);
  const wanted = Object.keys(m.services).sort();
  const known = new Set(app.services.map((s) => s.name));
  for (const s of wanted)
    if (!known.has(s)) issues.add([...at, 'services', s], `no service "${s}" in the project`);
  const name = m.name ?? 'cutover';
  if (known.has(name))
    issues.add(
      [...at, 'name'],
      `"${name}" is a service's name: its history would mix with the cut-over's`,
      'give the cut-over another name',
    );
  if (m.driver === 'gateway-api' && !m.gateway)
    issues.add(
      [...at, 'gateway'],
      'the gateway-api driver needs the Gateway to attach to',
      'add gateway: { name, namespace }',
    );
  if (wanted.length === 0)
    issues.add([...at, 'services'], 'no services to move', 'name each service with its old backend');
  issues.throwIfAny();
  const workloads = listWorkloads(app, env, 'cutover', wanted);
  const services: CutoverService[] = workloads.map((w) => {
    const here = [...at, 'services', w.service];
    if (w.routes.length === 0)
      issues.add(
        here,
        `service "${w.service}" has no routes in ${env}: nothing to move`,
        'add routes: to its ferry.yaml',
      );
    const portName = w.routes[0]?.port;
    return {
      service: w.service,
      serviceName: w.service,
      port: w.ports.find((p) => p.name === portName)?.port ?? w.ports[0]?.port ?? 80,
      routes: w.routes.map((r) => ({ host: r.host, path: r.path })),
      old: oldBackend(m.services[w.service]!.old, [...here, 'old'], issues),
    };
  });
  const plan: CutoverPlan = {
    name,
    environment: workloads[0]!.environment,
    driver: m.driver,
    gateway: m.gateway && {
      name: m.gateway.name,
      namespace: m.gateway.namespace,
      sectionName: m.gateway.sectionName,
    },
    entryPoints: m.entryPoints ?? ['websecure'],
    services,
    maintenance: maintenance(m.maintenance, [...at, 'maintenance'], issues),
    steps: steps(m, at, issues),
    checks: (m.checks ?? []).flatMap((c, i) => check(c, c.name, [...at, 'checks', i], issues, 30) ?? []),
    checkVia: m.checkVia,
    forwardedFor: m.forwardedFor,
    dns: { servers: m.dns?.servers ?? [], ttl: m.dns?.ttl ?? {} },
  };
  issues.throwIfAny();
  return plan;
}

function maintenance(m: CutoverManifest['maintenance'], at: KeyPath, issues: Problems): MaintenancePage {
  const retryAfterSeconds = m?.retryAfter ? parseDurationSeconds(m.retryAfter) : 600;
  if (m?.page && m.image) issues.add(at, 'give image or page, not both');
  if (m?.page)
    return {
      source: { kind: 'backend', backend: oldBackend(m.page, [...at, 'page'], issues) },
      retryAfterSeconds,
    };
  return { source: { kind: 'image', image: m?.image ?? DEFAULT_MAINTENANCE_IMAGE }, retryAfterSeconds };
}

/** Every host the plan moves, sorted, once. */
export function movedHosts(plan: CutoverPlan): string[] {
  return [...new Set(plan.services.flatMap((s) => s.routes.map((r) => r.host)))].sort();
}
