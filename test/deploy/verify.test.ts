// verify (a command check as a Job from the new image, an HTTP check against a local server) and
// observe (the environment's window) on the real cluster; a failing check reverts the release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

test(
  'checks pass, the observation window passes; a failing HTTP check reverts',
  { timeout: 120_000 },
  async () => {
    let status = 200;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
    try {
      await withNamespace('verify', async ({ namespace, apps }) => {
        const app = tempApp(namespace, '', '    observe: 2s\n');
        const deps = await testDeps(app.statePath);
        const manifest = `${serviceYaml('web', { instances: 2 })}checks:
  - { name: smoke, command: ./smoke, timeout: 60s }
  - { name: ready, http: '${url}', expect: 200, timeout: 10s }
`;
        try {
          app.write('web', manifest);
          const ok = await deploy(deps, await app.load(), {
            service: 'web',
            environment: 'test',
            version: '1.0.0',
            ...deployDefaults,
          });
          assert.equal(ok.outcome, 'succeeded', ok.message);
          const verify = ok.steps.find((s) => s.name === 'verify');
          assert.match(verify?.message ?? '', /Job\/web-check-smoke-1\.0\.0 completed .*; check ready: 200/);
          assert.deepEqual(seen, ['/ready']);
          const observe = ok.steps.find((s) => s.name === 'observe');
          assert.equal(observe?.outcome, 'succeeded');
          assert.match(observe?.message ?? '', /2 pods stayed ready for 2s/);
          assert.ok((observe?.ms ?? 0) >= 1900);

          status = 503;
          const bad = await deploy(deps, await app.load(), {
            service: 'web',
            environment: 'test',
            version: '2.0.0',
            ...deployDefaults,
          });
          assert.equal(bad.outcome, 'failed');
          assert.equal(bad.failedStep, 'verify');
          assert.match(bad.message, /check ready: GET .*\/ready answered 503, expected 200/);
          assert.equal(bad.reverted, true);
          const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
          assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
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
