// How a kubeconfig says to reach and trust the API server, through ferry's client against the
// real one: insecure-skip-tls-verify, no CA (refused at once, not retried), tls-server-name,
// proxy-url through real HTTP CONNECT and SOCKS5 proxies on loopback (with and without proxy
// credentials; a watch streams through the tunnel too), and HTTP/1.1 where a TLS front does not
// offer HTTP/2 (the API server itself is spoken to in HTTP/2, as kubectl does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterUnreachableError } from '../../src/cluster/errors.ts';
import type { WatchEvent } from '../../src/cluster/types.ts';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { withNamespace } from '../kit/cluster.ts';
import {
  adminParts,
  adminUser,
  trustedCluster,
  b64,
  clientFor,
  ConfigDir,
  saToken,
  serviceAccount,
  whoami,
} from '../kit/kubeconfig.ts';
import { http1Front, httpConnectProxy, selfSignedCert, socks5Proxy, type TestProxy } from '../kit/proxies.ts';

const causeCode = (e: unknown): unknown => ((e as Error).cause as { code?: unknown } | undefined)?.code;

test('insecure-skip-tls-verify; without a CA the certificate is refused at once, not retried', async () => {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const user = adminUser(a);
    const insecure = d.kubeconfig('insecure', { server: a.server, 'insecure-skip-tls-verify': true }, user);
    assert.equal(await whoami(clientFor(insecure)), 'ferry-admin');

    const untrusted = new KubeCluster({
      kubeconfig: d.kubeconfig('no-ca', { server: a.server }, user),
      backoff: { attempts: 5, baseMs: 400, maxMs: 2000 },
    });
    const t0 = Date.now();
    await assert.rejects(
      whoami(untrusted),
      (e: unknown) =>
        e instanceof ClusterUnreachableError && /CERT|SELF_SIGNED|VERIFY/.test(String(causeCode(e))),
    );
    assert.ok(Date.now() - t0 < 1500, `refused without the ~3 s of retries (took ${Date.now() - t0} ms)`);
  } finally {
    d.remove();
  }
});

test('tls-server-name: the certificate is checked against that name, not the address', async () => {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const user = adminUser(a);
    const ca = b64(a.ca);
    const named = d.kubeconfig(
      'named',
      { server: a.server, 'certificate-authority-data': ca, 'tls-server-name': 'kubernetes.default.svc' },
      user,
    );
    assert.equal(await whoami(clientFor(named)), 'ferry-admin');
    const wrong = d.kubeconfig(
      'wrong',
      { server: a.server, 'certificate-authority-data': ca, 'tls-server-name': 'api.example.com' },
      user,
    );
    await assert.rejects(
      whoami(clientFor(wrong)),
      (e: unknown) => e instanceof ClusterUnreachableError && causeCode(e) === 'ERR_TLS_CERT_ALTNAME_INVALID',
    );
  } finally {
    d.remove();
  }
});

async function throughProxy(proxy: TestProxy, namespace: string): Promise<void> {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const c = clientFor(
      d.kubeconfig('proxied', { ...trustedCluster(a), 'proxy-url': proxy.url }, adminUser(a)),
    );
    assert.equal(await whoami(c), 'ferry-admin');
    // a watch is a long-lived stream: it works through the tunnel too
    const seen: WatchEvent[] = [];
    let changed!: () => void;
    const modified = new Promise<void>((r) => (changed = r));
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'via-proxy', namespace, labels: { t: 'p' } },
    };
    await c.apply({ ...cm, data: { n: '1' } });
    const h = await c.watch(
      'v1',
      'ConfigMap',
      namespace,
      't=p',
      (e) => {
        seen.push(e);
        if (e.type === 'MODIFIED') changed();
      },
      () => undefined,
    );
    await c.apply({ ...cm, data: { n: '2' } });
    await modified;
    h.stop();
    assert.deepEqual(
      seen.map((e) => e.type),
      ['ADDED', 'MODIFIED'],
    );
    const host = new URL(a.server).host;
    assert.ok(
      proxy.connects.length > 0 && proxy.connects.every((t) => t === host),
      proxy.connects.join(', '),
    );
  } finally {
    d.remove();
  }
}

test('proxy-url: an HTTP CONNECT proxy, without and with proxy credentials', async () => {
  await withNamespace('kc-proxy', async ({ namespace }) => {
    for (const auth of [undefined, 'ferry:s3cret']) {
      const proxy = await httpConnectProxy(auth);
      try {
        await throughProxy(proxy, namespace);
      } finally {
        await proxy.close();
      }
    }
    // wrong proxy credentials: the proxy's 407 is the error, naming the proxy without the password
    const proxy = await httpConnectProxy('ferry:s3cret');
    const a = adminParts();
    const d = new ConfigDir();
    try {
      const bad = proxy.url.replace('s3cret', 'wrong');
      const c = clientFor(
        d.kubeconfig('bad-proxy', { ...trustedCluster(a), 'proxy-url': bad }, adminUser(a)),
      );
      await assert.rejects(whoami(c), (e: unknown) => {
        const cause = (e as Error).cause as Error | undefined;
        return (
          e instanceof ClusterUnreachableError &&
          /407/.test(cause?.message ?? '') &&
          !/wrong/.test(cause?.message ?? '')
        );
      });
    } finally {
      d.remove();
      await proxy.close();
    }
  });
});

test('proxy-url: a SOCKS5 proxy, without and with username/password', async () => {
  await withNamespace('kc-socks', async ({ namespace }) => {
    for (const auth of [undefined, 'ferry:s3cret']) {
      const proxy = await socks5Proxy(auth);
      try {
        await throughProxy(proxy, namespace);
      } finally {
        await proxy.close();
      }
    }
  });
});

test('a server that does not offer HTTP/2 (an HTTP/1.1-only TLS front) is spoken to in HTTP/1.1', async () => {
  await withNamespace('kc-h1', async (ns) => {
    const a = adminParts();
    const d = new ConfigDir();
    const tls = selfSignedCert(d.dir);
    const front = await http1Front(a.server, a.ca, tls);
    try {
      await serviceAccount(ns, 'deployer');
      const c = clientFor(
        d.kubeconfig(
          'h1',
          { server: front.url, 'certificate-authority-data': b64(tls.cert) },
          { token: await saToken(ns.core, ns.namespace, 'deployer') },
        ),
      );
      assert.equal(await whoami(c), `system:serviceaccount:${ns.namespace}:deployer`);
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h1', namespace: ns.namespace } };
      await Promise.all([c.apply(cm), c.list('v1', 'ConfigMap', ns.namespace, ''), whoami(c)]);
      assert.ok(front.requests.length >= 4, front.requests.join('\n'));
      assert.ok(
        front.requests.every((r) => r.endsWith('HTTP/1.1')),
        front.requests.join('\n'),
      );
    } finally {
      await front.close();
      d.remove();
    }
  });
});
