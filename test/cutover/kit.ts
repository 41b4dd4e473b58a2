// Shared by the cut-over tests: a project on disk (web and api with a cut-over in prod) deploying
// into the test's namespace, the Traefik and Gateway API CRDs from their pinned modules
// (scripts/traefik/install.sh), and the engine on the real test cluster with a real SQLite store.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/cluster/types.ts';
import type { CutoverDriver } from '../../src/model/cutover.ts';
import { SERVICE_API, SERVICE_WEB } from '../../src/model/cutover-testing.ts';
import { repoRoot } from '../kit/cluster.ts';
import { installCrdFile } from '../kit/crds.ts';

/** The Traefik cache folder: `crds` only fetches the CRDs; without it the proxy is built too. */
export function traefikCache(what: 'crds' | 'proxy'): string {
  return execFileSync(
    'bash',
    [`${repoRoot}scripts/traefik/install.sh`, ...(what === 'crds' ? ['crds'] : [])],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  ).trim();
}

export async function installCutoverCrds(): Promise<void> {
  const dir = traefikCache('crds');
  await installCrdFile(join(dir, 'crds', 'traefik.yaml'));
  await installCrdFile(join(dir, 'crds', 'gateway-api.yaml'));
}

export interface CutoverProject {
  dir: string;
  statePath: string;
  cleanup(): void;
}

/** `cutover` is the YAML of cutover.prod (indented by four spaces), after `driver:`. */
export function cutoverProject(
  namespace: string,
  driver: CutoverDriver,
  cutover: string,
  opts: { services?: Record<string, string>; envExtra?: string; tls?: string } = {},
): CutoverProject {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cutover-'));
  const services = opts.services ?? { web: SERVICE_WEB, api: SERVICE_API };
  for (const [name, text] of Object.entries(services)) {
    mkdirSync(join(dir, 'services', name), { recursive: true });
    writeFileSync(join(dir, 'services', name, 'ferry.yaml'), text);
  }
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  prod:
    namespace: ${namespace}
    createNamespace: false
    domain: example.com
    tls: ${opts.tls ?? '{ wildcard: wildcard-prod-tls }'}
${opts.envExtra ?? ''}cutover:
  prod:
    driver: ${driver}
${cutover}`,
  );
  return {
    dir,
    statePath: join(dir, '.ferry', 'state.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Deployment of the new platform as a deploy leaves it (kwok makes its pods ready). */
export function newDeployment(namespace: string, name: string, replicas = 1): KObject {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name, image: `registry.example.com/shop/${name}:1.0.0` }] },
      },
    },
  };
}
