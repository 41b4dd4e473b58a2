// Shared by the deploy integration tests: a throwaway app (platform + one service) in a temp
// directory deploying into the test's namespace, a real SQLite store, and the engine bound to
// the real test cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { Deploy, type DeployRequest } from '../../src/engine/actions/deploy.ts';
import { Rollback, type RollbackRequest } from '../../src/engine/actions/rollback.ts';
import { createEngine, type Engine } from '../../src/engine/config.ts';
import { runContext, type RunContext } from '../../src/engine/context.ts';
import type { SendOptions } from '../../src/engine/notify/send.ts';
import type { ProgressEvent } from '../../src/engine/progress.ts';
import type { ReleaseReport } from '../../src/engine/views.ts';
import { loadApp, type LoadedApp } from '../../src/manifest/load.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
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

export interface TestDeps {
  engine: Engine;
  store: Store;
  cluster: KubeCluster;
  events: ProgressEvent[];
  env: NodeJS.ProcessEnv;
  /** a run as test@ferry whose events land in `events` */
  run(signal?: AbortSignal, hardSignal?: AbortSignal): RunContext;
}

/** The engine on the real test cluster with a real SQLite store at `statePath`. */
export async function testDeps(
  statePath: string,
  opts: { env?: NodeJS.ProcessEnv; notify?: SendOptions } = {},
): Promise<TestDeps> {
  const store: Store = await openStore(statePath);
  const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
  const events: ProgressEvent[] = [];
  const env = opts.env ?? process.env;
  const engine = createEngine(
    { root: dirname(statePath), env, clusterCommand: true, ...(opts.notify ? { notify: opts.notify } : {}) },
    { clusterFor: () => cluster, store },
  );
  return {
    engine,
    store,
    cluster,
    events,
    env,
    run: (signal, hardSignal) =>
      runContext({
        actor: 'test@ferry',
        ...(signal ? { signal } : {}),
        ...(hardSignal ? { hardSignal } : {}),
        onEvent: (e) => events.push(e),
      }),
  };
}

export function deploy(
  deps: TestDeps,
  app: LoadedApp,
  request: DeployRequest,
  signal?: AbortSignal,
): Promise<ReleaseReport> {
  return new Deploy(deps.engine, app).run(request, deps.run(signal));
}

export function rollback(deps: TestDeps, app: LoadedApp, request: RollbackRequest): Promise<ReleaseReport> {
  return new Rollback(deps.engine, app).run(request, deps.run());
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
export const rollbackDefaults = { leaseMs: 10_000, waitLockMs: 0 };
