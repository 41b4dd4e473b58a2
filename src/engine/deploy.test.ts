// A deploy against an API server that cannot be reached: the release ends failed with the
// reason, never as a success, and the lock is released. (A real client against a closed port.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeCluster } from '../cluster/kube.ts';
import { loadApp } from '../manifest/load.ts';
import { openStore } from '../store/store.ts';
import { Deploy } from './deploy.ts';

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
    const r = await new Deploy(
      {
        store,
        clusterFor: () => cluster,
        actor: 'test',
        emit: () => undefined,
        signal: new AbortController().signal,
        now: Date.now,
        env: {},
      },
      await loadApp(dir),
      { service: 'web', environment: 'test', version: '1', podLabels: [], leaseMs: 5000, waitLockMs: 0 },
    ).run();
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failedStep, 'apply');
    assert.match(r.message, /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
    assert.equal((await store.release(r.releaseId)).outcome, 'failed');
    assert.equal(await store.lastSuccessful('web', 'test'), undefined);
    assert.equal(await store.driver.getLease('web/test'), undefined);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
