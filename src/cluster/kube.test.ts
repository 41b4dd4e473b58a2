// The client against an API server that is not there: retried with backoff, then a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeCluster } from './kube.ts';
import { ClusterUnreachableError, KubeconfigError } from './errors.ts';

function kubeconfig(server: string): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kc-'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: '${server}', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: here, context: { cluster: c, user: u } }]
current-context: here
`,
  );
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('an unreachable API server is retried, then ClusterUnreachableError', async () => {
  const kc = kubeconfig('https://127.0.0.1:1');
  try {
    const c = new KubeCluster({ kubeconfig: kc.file, backoff: { attempts: 3, baseMs: 20, maxMs: 50 } });
    assert.equal(c.context, 'here');
    const t0 = Date.now();
    await assert.rejects(
      c.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'test' }),
      (e: unknown) =>
        e instanceof ClusterUnreachableError &&
        e.code === 'E_CLUSTER_UNREACHABLE' &&
        /127\.0\.0\.1:1/.test(e.message),
    );
    assert.ok(Date.now() - t0 >= 20, 'waited between attempts');
  } finally {
    kc.cleanup();
  }
});

test('an unknown context is a usage error naming the known ones', () => {
  const kc = kubeconfig('https://127.0.0.1:1');
  try {
    assert.throws(
      () => new KubeCluster({ kubeconfig: kc.file, context: 'prod' }),
      (e: unknown) => e instanceof KubeconfigError && e.exitCode === 2 && /known: here/.test(e.message),
    );
  } finally {
    kc.cleanup();
  }
});
