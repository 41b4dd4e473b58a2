// The table of kinds against what the renderer really produces, on the real cluster: every kind
// of every example's objects is in the table, and every prunable one is found again by the
// leftover search that pruning and `ferry diff` share (so nothing ferry renders is left behind).
// And the case the old prune list got wrong: a removed ExternalSecret (external-secrets.io/v1)
// is pruned on the next deploy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { KObject } from '../../src/cluster/types.ts';
import { leftovers } from '../../src/engine/apply.ts';
import { KINDS, kindInfo } from '../../src/kinds.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { listWorkloads } from '../../src/model/resolve.ts';
import { renderKubernetes } from '../../src/render/kubernetes/index.ts';
import { toKObject } from '../../src/engine/plan.ts';
import { repoRoot, withNamespace } from '../kit/cluster.ts';
import { installCrds } from '../kit/crds.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

before(installCrds);

const examples = readdirSync(`${repoRoot}examples`, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

test(
  'every kind the examples render is in the table; every prunable one is found by prune and diff',
  { timeout: 180_000 },
  async () => {
    const seen = new Set<string>();
    for (const example of examples) {
      const app = await loadApp(`${repoRoot}examples/${example}`);
      for (const env of Object.keys(app.platform.manifest.environments)) {
        await withNamespace(`kinds-${example}-${env}`, async ({ namespace }) => {
          const deps = await testDeps(':memory:');
          try {
            for (const w of listWorkloads(app, env, '1.0.0')) {
              const wl = { ...w, environment: { ...w.environment, namespace } };
              const objects = renderKubernetes(wl).objects.map(toKObject);
              for (const o of objects) {
                seen.add(o.kind);
                const info = kindInfo(o.kind);
                assert.ok(info, `${o.kind} is in the table of kinds`);
                assert.equal(
                  info.apiVersion,
                  o.apiVersion,
                  `${o.kind}: the table's apiVersion is the one rendered`,
                );
                assert.ok(info.rendered, `${o.kind} is marked rendered`);
                await deps.cluster.apply(o);
              }
              const found = await leftovers(deps.cluster, w.service, env, namespace, []);
              const expect = objects
                .filter(
                  (o) =>
                    kindInfo(o.kind)?.prunable && o.metadata.annotations?.['ferry.dev/prune'] !== 'never',
                )
                .map((o: KObject) => `${o.kind}/${o.metadata.name}`)
                .sort();
              assert.deepEqual(
                found.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
                expect,
                `${example}/${env}/${w.service}: what pruning and diff would look at`,
              );
            }
          } finally {
            await deps.store.close();
          }
        });
      }
    }
    for (const k of ['Deployment', 'Service', 'CronJob', 'Ingress', 'ExternalSecret', 'PrometheusRule'])
      assert.ok(seen.has(k), `the examples render ${k}`);
    const unprunable = KINDS.filter((k) => k.rendered && !k.prunable).map((k) => k.kind);
    assert.deepEqual(
      unprunable,
      ['Namespace', 'PersistentVolumeClaim', 'Job'],
      'only these are never pruned',
    );
  },
);

test('a removed ExternalSecret is pruned on the next deploy', { timeout: 120_000 }, async () => {
  await withNamespace('externalsecret', async ({ namespace, objects }) => {
    const app = tempApp(namespace);
    const deps = await testDeps(app.statePath);
    const present = async () => {
      try {
        await objects.read({
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: 'web-vault', namespace },
        });
        return true;
      } catch {
        return false;
      }
    };
    try {
      app.write(
        'web',
        `${serviceYaml('web', { instances: 1 })}secrets: { API_KEY: 'vault:secret/data/web#api_key' }\n`,
      );
      const r1 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '1',
        ...deployDefaults,
      });
      assert.equal(r1.outcome, 'succeeded', r1.message);
      assert.equal(await present(), true, 'the ExternalSecret was applied');
      app.write('web', serviceYaml('web', { instances: 1 }));
      const r2 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '2',
        ...deployDefaults,
      });
      assert.equal(r2.outcome, 'succeeded', r2.message);
      assert.match(
        r2.steps.find((s) => s.name === 'apply')?.message ?? '',
        /pruned ExternalSecret\/web-vault/,
      );
      assert.equal(await present(), false);
    } finally {
      await deps.store.close();
      app.cleanup();
    }
  });
});
