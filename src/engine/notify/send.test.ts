import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notifyAll, describeDeliveries } from './send.ts';
import type { ReleaseNotice } from './message.ts';

const notice: ReleaseNotice = {
  event: 'release.succeeded',
  kind: 'deploy',
  releaseId: 7,
  service: 'hcn',
  environment: 'prod',
  version: '1.4.0',
  actor: 'ann@box',
  outcome: 'succeeded',
  message: '',
  previousVersion: '1.3.9',
  durationMs: 12_345,
  steps: [
    { name: 'plan', outcome: 'succeeded', ms: 20, message: '' },
    { name: 'migrate', outcome: 'skipped', ms: 0, message: '' },
  ],
};

interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

async function receiver(handler: (n: number) => number) {
  const got: Received[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      n++;
      const status = handler(n);
      if (status === 200) {
        got.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
      }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    got,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test('slack gets {text, blocks}; the webhook gets the notice; both retried past a 500', async () => {
  const rx = await receiver((n) => (n <= 2 ? 500 : 200));
  try {
    const rs = await notifyAll(
      [
        { kind: 'slack', url: `${rx.url}/services/T000/B000/XXX` },
        { kind: 'webhook', url: '${HOOK}/hooks/ferry' },
      ],
      notice,
      { attempts: 4, baseDelayMs: 10, env: { HOOK: rx.url } },
    );
    assert.ok(
      rs.every((r) => r.ok),
      describeDeliveries(rs),
    );
    const slack = rx.got.find((g) => g.path.startsWith('/services'));
    const hook = rx.got.find((g) => g.path === '/hooks/ferry');
    assert.equal(slack?.contentType, 'application/json');
    const sb = slack?.body as { text: string; blocks: { type: string }[] };
    assert.match(sb.text, /hcn deployed 1\.4\.0 in prod \(was 1\.3\.9\) by ann@box — release 7, 12\.3s/);
    assert.deepEqual(
      sb.blocks.map((b) => b.type),
      ['section', 'context'],
    );
    const hb = hook?.body as ReleaseNotice;
    assert.equal(hb.event, 'release.succeeded');
    assert.equal(hb.releaseId, 7);
  } finally {
    await rx.close();
  }
});

test('a notifier that keeps failing is reported, not thrown', async () => {
  const rx = await receiver(() => 503);
  try {
    const lines: string[] = [];
    const rs = await notifyAll(
      [{ kind: 'webhook', url: rx.url }, { kind: 'console' }, { kind: 'slack', url: '${UNSET_FERRY_TEST}' }],
      { ...notice, event: 'release.failed', outcome: 'failed', message: 'track: CrashLoopBackOff' },
      { attempts: 2, baseDelayMs: 5, write: (l) => lines.push(l), env: {} },
    );
    assert.deepEqual(
      rs.map((r) => [r.ok, r.attempts]),
      [
        [false, 2],
        [true, 1],
        [false, 0],
      ],
    );
    assert.match(rs[0]?.error ?? '', /HTTP 503/);
    assert.match(rs[2]?.error ?? '', /UNSET_FERRY_TEST/);
    assert.match(
      lines[0] ?? '',
      /hcn 1\.4\.0 in prod failed — release 7 by ann@box: track: CrashLoopBackOff/,
    );
    assert.match(describeDeliveries(rs), /failed after 2 tries: HTTP 503/);
    assert.match(
      describeDeliveries(rs),
      /slack not sent: notify slack uses \$\{UNSET_FERRY_TEST\}, which is not set/,
    );
  } finally {
    await rx.close();
  }
});
