// LoadedApp + service + environment + version → Workload, every default filled. Problems are
// collected and thrown together as one InvalidInputError, located in the file that caused them.
// The parts live beside it: containers, env, features, jobs, routes, operations.
import { InvalidInputError, usageError, type Issue } from '../errors.ts';
import type { LoadedApp, LoadedService } from '../manifest/load.ts';
import { didYouMean } from '../manifest/suggest.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { Collector } from './collector.ts';
import { resolveHealth, resolvePorts, resolveResources } from './containers.ts';
import { DEFAULTS, effectiveManifest, toCommand } from './effective.ts';
import { resolveEnv } from './env.ts';
import { resolveFeatures } from './features.ts';
import { applyPreviewOverrides, previewRoutes } from './preview.ts';
import { resolveFiles } from './files.ts';
import type { Variables } from './interpolate.ts';
import { resolveChecks, resolveCrons, resolveMigration } from './jobs.ts';
import { resolveAlerts, resolveAutoscale, resolvePlacement, resolveVolumes } from './operations.ts';
import { resolvePatches } from './patches.ts';
import { resolveDaemon, resolvePod, resolveWorkloadMeta } from './pod.ts';
import { resolveEnvironment, resolvePolicy } from './platform.ts';
import { resolveRoutes } from './routes.ts';
import type { Environment, Workload } from './types.ts';

export { DEFAULTS, effectiveManifest, toCommand, type EffectiveManifest } from './effective.ts';

/** An image tag, optionally pinned to a digest (`1.4.0@sha256:<64 hex>`: the image is tag@digest). */
export const VERSION_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$/;

/** The environments a service runs in, in platform order. */
export function serviceEnvironments(app: LoadedApp, s: LoadedService): string[] {
  const all = Object.keys(app.platform.manifest.environments);
  const own = s.manifest.environments;
  return own === undefined ? all : all.filter((e) => e in own);
}

/** True when the first path segment names a registry (has a dot or a port, or is localhost). */
function namesRegistry(image: string): boolean {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
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
      'use letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters, optionally followed by @sha256:<digest>',
    );
  }
}

/** E_UNKNOWN_ENV (with a suggestion) unless the platform declares `env`. */
function checkEnvironment(app: LoadedApp, env: string): void {
  const envNames = Object.keys(app.platform.manifest.environments);
  if (!envNames.includes(env)) {
    throw usageError(
      'E_UNKNOWN_ENV',
      `no environment named "${env}"`,
      didYouMean(env, envNames, 'environments'),
    );
  }
}

/**
 * `derived`: an environment made at run time from `env` (a per-PR preview): its own name,
 * namespace and domain, with `env`'s overlays and platform settings.
 */
export function resolveWorkload(
  app: LoadedApp,
  service: string,
  env: string,
  version: string,
  derived?: Environment,
): Workload {
  checkVersion(version);
  const s = findService(app, service);
  checkEnvironment(app, env);
  const runsIn = serviceEnvironments(app, s);
  if (!runsIn.includes(env)) {
    throw usageError(
      'E_NOT_IN_ENV',
      `service "${service}" does not run in environment "${env}"`,
      `it runs in: ${runsIn.join(', ') || 'none'}; add ${env} to its environments`,
    );
  }
  const overlay = s.manifest.environments?.[env];
  const c = new Collector(s, env, overlay, app.platform);
  const m = effectiveManifest(s.manifest, env);
  const pm = app.platform.manifest;
  const envManifest = pm.environments[env] ?? null;
  const policy = resolvePolicy(pm.policy);
  const environment = derived ?? resolveEnvironment(env, envManifest, policy);

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
  const routes = previewRoutes(
    resolveRoutes(m, service, env, environment.domain, ports, c, vars),
    service,
    environment,
  );
  const image = `${imageRepository}:${version}`;
  const workload: Workload = {
    service,
    environment,
    version,
    imageRepository,
    image,
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
    stateful: m.stateful ?? false,
    files: resolveFiles(m, c),
    autoscale: resolveAutoscale(m, c),
    placement: resolvePlacement(envManifest?.placement, m.placement, policy, {
      own: (p, msg, hint) => c.add(p, msg, hint),
      env: (p, msg, hint) => c.addPlatform(p, msg, hint),
    }),
    daemon: resolveDaemon(m, c),
    pod: resolvePod(m, { service, image, vars }, c),
    workloadMeta: resolveWorkloadMeta(m, c),
    patches: resolvePatches(s, env, c),
    policy,
    manifestDigest: manifestDigest(app, s, env),
  };
  if (c.issues.length > 0) throw new InvalidInputError(c.issues);
  return applyPreviewOverrides(workload);
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
  checkEnvironment(app, env);
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
