// The client against an API server that is not there: retried with backoff, then a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeCluster } from './kube.ts';
import { ClusterApiError, ClusterUnreachableError, KubeconfigError } from './errors.ts';

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
      (e: unknown) => e instanceof KubeconfigError && e.kind === 'invalid' && /known: here/.test(e.message),
    );
  } finally {
    kc.cleanup();
  }
});

test('404 means absent: get → undefined, list → [], delete → false, serves → false', async () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'test' },
  };
  const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/apis/apps/v1')
      return send(200, {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get', 'list'] }],
      });
    if (url.pathname === '/apis/apps/v1/namespaces/test/deployments/web')
      return req.method === 'DELETE'
        ? send(200, { kind: 'Status', status: 'Success' })
        : send(200, deployment);
    if (url.pathname === '/apis/apps/v1/namespaces/test/deployments')
      return send(200, { kind: 'DeploymentList', metadata: {}, items: [deployment] });
    return send(404, notFound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = kubeconfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const c = new KubeCluster({ kubeconfig: kc.file, backoff: { attempts: 1, baseMs: 1, maxMs: 1 } });
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'test' };
    assert.equal((await c.get({ ...ref, name: 'web' }))?.metadata.name, 'web');
    assert.equal(await c.get({ ...ref, name: 'gone' }), undefined);
    assert.equal((await c.list('apps/v1', 'Deployment', 'test', 'app=web')).length, 1);
    assert.deepEqual(await c.list('monitoring.coreos.com/v1', 'PrometheusRule', 'test', 'app=web'), []);
    assert.equal(await c.delete({ ...ref, name: 'web' }), true);
    assert.equal(await c.delete({ ...ref, name: 'gone' }), false);
    assert.equal(await c.serves('apps/v1', 'Deployment'), true);
    assert.equal(await c.serves('monitoring.coreos.com/v1', 'PrometheusRule'), false);
  } finally {
    kc.cleanup();
    server.close();
  }
});

test('streamLogs: text as it comes (follow), the query kubectl logs sends, abort ends it', async () => {
  let query: URLSearchParams | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/namespaces/test/pods/web-1/log') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'pods "x" not found', code: 404 }),
      );
      return;
    }
    query = url.searchParams;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('one\n');
    const later = setTimeout(() => res.write('two\n'), 50);
    if (url.searchParams.get('follow') !== 'true') {
      clearTimeout(later);
      res.end('last\n');
    }
    req.on('close', () => clearTimeout(later));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = kubeconfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const c = new KubeCluster({ kubeconfig: kc.file, backoff: { attempts: 1, baseMs: 1, maxMs: 1 } });
    let text = '';
    await c.streamLogs(
      'test',
      'web-1',
      { container: 'app', tailLines: 5, sinceSeconds: 60 },
      (t) => (text += t),
    );
    assert.equal(text, 'one\nlast\n');
    assert.deepEqual(Object.fromEntries(query ?? []), {
      container: 'app',
      sinceSeconds: '60',
      tailLines: '5',
    });

    // follow: the stream stays open; aborting the signal ends the call, keeping what came
    const ac = new AbortController();
    let followed = '';
    const done = c.streamLogs('test', 'web-1', { container: 'app', follow: true, signal: ac.signal }, (t) => {
      followed += t;
      if (followed.includes('two')) ac.abort();
    });
    await done;
    assert.equal(followed, 'one\ntwo\n');
    assert.equal(query?.get('follow'), 'true');
    await assert.rejects(
      c.streamLogs('test', 'gone', { container: 'app' }, () => undefined),
      (e: unknown) => e instanceof ClusterApiError && e.status === 404 && /not found/.test(e.message),
    );
  } finally {
    kc.cleanup();
    server.close();
  }
});
