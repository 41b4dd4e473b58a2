// Notifications from a real deploy reach a local HTTP receiver in Slack's incoming-webhook format
// and as a generic JSON webhook; a dead receiver never fails the deploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

test(
  'slack and webhook receive the release; an unreachable notifier is reported, not fatal',
  { timeout: 90_000 },
  async () => {
    const got: { path: string; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => {
        got.push({ path: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      await withNamespace('notify', async ({ namespace }) => {
        const app = tempApp(
          namespace,
          `notify:
  - slack: 'http://127.0.0.1:${port}/services/T0/B0/X'
  - webhook: '\${FERRY_TEST_HOOK_URL}/ferry'
  - webhook: 'http://127.0.0.1:1/unreachable'
`,
        );
        const deps = await testDeps(app.statePath, {
          env: { ...process.env, FERRY_TEST_HOOK_URL: `http://127.0.0.1:${port}` },
          notify: { attempts: 2, baseDelayMs: 10, timeoutMs: 2000 },
        });
        try {
          app.write('api', serviceYaml('api', { instances: 1 }));
          const r = await deploy(deps, await app.load(), {
            service: 'api',
            environment: 'test',
            version: '3.1.0',
            ...deployDefaults,
          });
          assert.equal(r.outcome, 'succeeded', r.message);
          const step = r.steps.find((s) => s.name === 'notify');
          assert.equal(step?.outcome, 'succeeded');
          assert.match(step?.message ?? '', /slack 127\.0\.0\.1:\d+ ok/);
          assert.match(step?.message ?? '', /failed after 2 tries/);
          const slack = got.find((g) => g.path === '/services/T0/B0/X');
          assert.ok(slack, 'slack message received');
          assert.match(
            String(slack.body.text),
            new RegExp(`api deployed 3\\.1\\.0 in test by test@ferry — release ${r.id}`),
          );
          assert.ok(Array.isArray(slack.body.blocks));
          const hook = got.find((g) => g.path === '/ferry');
          assert.equal(hook?.body.event, 'release.succeeded');
          assert.equal(hook?.body.releaseId, r.id);
          assert.equal(hook?.body.version, '3.1.0');
        } finally {
          await deps.store.close();
          app.cleanup();
        }
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  },
);
