// Shared by the deploy integration tests: a throwaway app (platform + one service) in a temp
// directory deploying into the test's namespace, a real SQLite store, and engine deps bound to
// the real test cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { EngineDeps } from '../../src/engine/context.ts';
import type { ProgressEvent } from '../../src/engine/steps.ts';
import { loadApp, type LoadedApp } from '../../src/manifest/load.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { testKubeconfigPath } from '../kit/cluster.ts';

export interface TestApp {
  dir: string;
  statePath: string;
  write(service: string, manifest: string): void;
  writePlatform(text: string): void;
  load(): Promise<LoadedApp>;
  cleanup(): void;
}

export function platformYaml(namespace: string, extra = '', envExtra = ''): string {
  return `services: ['services/*']
environments:
  test:
    namespace: ${namespace}
    createNamespace: false
    tls: { disabled: true }
${envExtra}policy:
  progressDeadline: 60s
${extra}`;
}

export function tempApp(namespace: string, platformExtra = '', envExtra = ''): TestApp {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-deploy-'));
  const app: TestApp = {
    dir,
    statePath: join(dir, '.ferry', 'state.db'),
    write(service, manifest) {
      mkdirSync(join(dir, 'services', service), { recursive: true });
      writeFileSync(join(dir, 'services', service, 'ferry.yaml'), manifest);
    },
    writePlatform(text) {
      writeFileSync(join(dir, 'ferry.platform.yaml'), text);
    },
    load: () => loadApp(dir),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  app.writePlatform(platformYaml(namespace, platformExtra, envExtra));
  return app;
}

export interface TestDeps extends EngineDeps {
  events: ProgressEvent[];
  cluster: KubeCluster;
}

export async function testDeps(statePath: string, signal = new AbortController().signal): Promise<TestDeps> {
  const store: Store = await openStore(statePath);
  const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
  const events: ProgressEvent[] = [];
  return {
    store,
    cluster,
    clusterFor: () => cluster,
    actor: 'test@ferry',
    emit: (e) => events.push(e),
    events,
    signal,
    now: Date.now,
    env: process.env,
  };
}

/** A web service with instances, optional migration and crons. */
export function serviceYaml(
  name: string,
  opts: { instances?: number; migration?: boolean; crons?: string[] } = {},
): string {
  const lines = [
    `service: ${name}`,
    `image: registry.example.com/test/${name}`,
    'command: ./serve',
    'port: 8080',
    'health: /healthz',
    'resources: { cpu: 100m, memory: 64Mi }',
    `instances: ${opts.instances ?? 2}`,
  ];
  if (opts.migration) lines.push('migrations: { command: ./migrate up, down: ./migrate down, timeout: 60s }');
  if (opts.crons?.length) {
    lines.push('crons:');
    for (const c of opts.crons) lines.push(`  - { name: ${c}, schedule: "*/30 * * * *", command: ./${c} }`);
  }
  return `${lines.join('\n')}\n`;
}

export const deployDefaults = { podLabels: [], leaseMs: 10_000, waitLockMs: 0 };
