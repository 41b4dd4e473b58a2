// The header echo the cut-over checks rely on: the demo app prints back the request's headers,
// so a test sees whether a proxy in front of it keeps, adds or drops X-Forwarded-For.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceProxy } from '../kit/ingress.ts';
import { httpGet, realNodeSkip } from '../kit/real-node.ts';
import { withRealApp } from './kit.ts';

function headersOf(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 2);
  }
  return out;
}

test(
  'X-Forwarded-For reaches the pod as sent, and a proxy in front appends its client',
  { timeout: 120_000, skip: realNodeSkip },
  async () => {
    await withRealApp('headers', async (r) => {
      const proxy = await serviceProxy(r.namespace, 'demo');
      try {
        r.writeDemo();
        const res = await r.deploy('1.0.0');
        assert.equal(res.outcome, 'succeeded', res.message);
        const [pod] = await r.webPods();
        const echo = `http://${pod!.status!.podIP!}:8080/cgi-bin/headers`;

        // straight to the pod over the bridge: the header as sent; the peer is the host's gateway
        const direct = await httpGet(echo, { 'X-Forwarded-For': '203.0.113.7' });
        assert.equal(direct.status, 200);
        const d = headersOf(direct.body);
        assert.equal(d['x-forwarded-for'], '203.0.113.7');
        assert.equal(d['remote-addr'], r.node.gateway);
        const none = headersOf((await httpGet(echo)).body);
        assert.equal(none['x-forwarded-for'], undefined, 'no header invented');

        // through a proxy that forwards: the chain grows by the proxy's client
        const via = headersOf(
          (await httpGet(`${proxy.url}/cgi-bin/headers`, { 'X-Forwarded-For': '203.0.113.7' })).body,
        );
        assert.equal(via['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
        assert.equal(via['x-forwarded-proto'], 'http');
        assert.equal(via['x-forwarded-host'], new URL(proxy.url).host);
        assert.equal(via['remote-addr'], r.node.gateway);
      } finally {
        await proxy.close();
      }
    });
  },
);
