// A deploy against an API server that cannot be reached: the release ends failed with the
// reason, never as a success, and the lock is released. (A real client against a closed port.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { FerryError } from '../../errors.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeCluster } from '../../cluster/kube.ts';
import { loadApp } from '../../manifest/load.ts';
import { openStore } from '../../store/open.ts';
import { keyOf } from '../../store/types.ts';
import { Deploy } from './deploy.ts';
import { createEngine } from '../config.ts';
import { runContext } from '../context.ts';

test('cluster unreachable → release failed with the reason, lock released', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-unreachable-'));
  const store = await openStore(':memory:');
  try {
    writeFileSync(
      join(dir, 'ferry.platform.yaml'),
      "services: ['services/*']\nenvironments:\n  test: { namespace: t, createNamespace: false, tls: { disabled: true } }\n",
    );
    mkdirSync(join(dir, 'services', 'web'), { recursive: true });
    writeFileSync(
      join(dir, 'services', 'web', 'ferry.yaml'),
      'service: web\nimage: r.example.com/web\nport: 8080\n',
    );
    writeFileSync(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: here, context: { cluster: c, user: u } }]
current-context: here
`,
    );
    const cluster = new KubeCluster({
      kubeconfig: join(dir, 'kubeconfig'),
      backoff: { attempts: 2, baseMs: 10, maxMs: 20 },
    });
    const engine = createEngine(
      { root: dir, env: {}, clusterCommand: true },
      { clusterFor: () => cluster, store },
    );
    const r = await new Deploy(engine, await loadApp(dir)).run(
      { service: 'web', environment: 'test', version: '1', leaseMs: 5000 },
      runContext({ actor: 'test' }),
    );
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failedStep, 'preflight', 'the first step that talks to the cluster');
    assert.match(r.message, /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
    assert.equal((await store.release(keyOf(r))).outcome, 'failed');
    assert.equal(await store.lastSuccessful('web', 'test'), undefined);
    assert.equal(await store.lease('web/test'), undefined);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the deploy action refuses a protected environment without confirmation, before state or cluster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-protected-'));
  try {
    writeFileSync(
      join(dir, 'ferry.platform.yaml'),
      "services: ['services/*']\nenvironments:\n  prod: { namespace: p, protected: true, tls: { disabled: true } }\n",
    );
    mkdirSync(join(dir, 'services', 'web'), { recursive: true });
    writeFileSync(
      join(dir, 'services', 'web', 'ferry.yaml'),
      'service: web\nimage: r.example.com/web\nport: 8080\n',
    );
    let touched = 0;
    const engine = createEngine(
      { root: dir, env: {}, clusterCommand: true },
      {
        clusterFor: () => {
          touched++;
          throw new Error('the cluster must not be asked for');
        },
      },
    );
    const deploy = new Deploy(engine, await loadApp(dir));
    await assert.rejects(
      deploy.run({ service: 'web', environment: 'prod', version: '1' }, runContext({ actor: 'ci' })),
      (e: unknown) => e instanceof FerryError && e.code === 'E_PROTECTED' && e.kind === 'invalid',
    );
    assert.equal(touched, 0);
    assert.equal(existsSync(join(dir, '.ferry')), false, 'no state was opened');
    // confirmed, it gets past the policy (and only then needs the cluster)
    const planned = deploy.plan({ service: 'web', environment: 'prod', version: '1', confirmed: true });
    assert.equal(planned.plan.workload.environment.name, 'prod');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
