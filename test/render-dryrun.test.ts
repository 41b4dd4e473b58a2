// Every object the examples render — every example × environment, with the migration (up and
// down) and check Jobs — is accepted by a real Kubernetes API server's server-side dry-run,
// through ferry's own cluster layer (server-side apply). PrometheusRule and ExternalSecret need
// their CRDs: small stand-ins from test/crds/ are installed for real first.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeCluster } from '../src/cluster/kube.ts';
import type { KObject } from '../src/cluster/types.ts';
import { loadApp } from '../src/manifest/load.ts';
import { listWorkloads } from '../src/model/resolve.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';
import { renderEnvironment } from '../src/render/kubernetes/target.ts';
import { toYamlStream } from '../src/render/serialize.ts';
import type { KubeObject } from '../src/render/kubernetes/object.ts';
import { testCluster, testKubeconfigPath, testKubectl, withNamespace } from './kit/cluster.ts';
import { installCrds } from './kit/crds.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
/** The example projects: the folders of examples/. */
const exampleNames = (): string[] =>
  readdirSync(`${root}examples`, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
before(installCrds);

for (const example of exampleNames()) {
  test(`server-side dry-run accepts every object of examples/${example}`, async () => {
    const app = await loadApp(`${root}examples/${example}`);
    for (const env of Object.keys(app.platform.manifest.environments)) {
      await withNamespace(`dryrun-${example}-${env}`, async ({ namespace }) => {
        const workloads = listWorkloads(app, env, '1.0.0').map((w) => ({
          ...w,
          environment: { ...w.environment, namespace },
        }));
        assert.ok(workloads.length > 0);
        const docs: KubeObject[] = renderEnvironment(workloads[0]!.environment, workloads, { jobs: true });
        for (const w of workloads) {
          const down = renderKubernetes(w).migration?.down;
          if (down) docs.push(down);
        }
        const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
        const failures: string[] = [];
        for (const doc of docs) {
          try {
            const got = await cluster.apply(doc as unknown as KObject, { dryRun: true });
            assert.equal(got.kind, doc.kind);
          } catch (err) {
            failures.push(
              `${doc.kind}/${doc.metadata.name}: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        }
        assert.deepEqual(failures, [], `${example} ${env}: the API server rejected:\n${failures.join('\n')}`);
        const kinds = new Set(docs.map((d) => d.kind));
        assert.ok(
          kinds.has('Deployment') && kinds.has('Service'),
          `${example} ${env}: ${[...kinds].join(', ')}`,
        );
      });
    }
  });
}

test('the examples together exercise every kind the renderer writes', async () => {
  const kinds = new Set<string>();
  for (const example of exampleNames()) {
    const app = await loadApp(`${root}examples/${example}`);
    for (const env of Object.keys(app.platform.manifest.environments)) {
      const ws = listWorkloads(app, env, '1.0.0');
      for (const d of renderEnvironment(ws[0]!.environment, ws, { jobs: true })) kinds.add(d.kind);
    }
  }
  assert.deepEqual([...kinds].sort(), [
    'CronJob',
    'Deployment',
    'ExternalSecret',
    'HorizontalPodAutoscaler',
    'Ingress',
    'Job',
    'Namespace',
    'PersistentVolumeClaim',
    'PodDisruptionBudget',
    'PrometheusRule',
    'Service',
  ]);
});

test('the dry-run is not vacuous: the API server rejects a broken CronJob and a rule without expr', async () => {
  await withNamespace('dryrun-negative', async ({ namespace }) => {
    const app = await loadApp(`${root}examples/anna`);
    const [account] = listWorkloads(app, 'test', '1.0.0', ['account']).map((w) => ({
      ...w,
      environment: { ...w.environment, namespace },
    }));
    const objects = renderKubernetes(account!).objects;
    const cron = structuredClone(objects.find((o) => o.kind === 'CronJob')!) as KubeObject & {
      spec: { schedule: string };
    };
    cron.spec.schedule = 'every half hour';
    const rule = structuredClone(objects.find((o) => o.kind === 'PrometheusRule')!) as KubeObject & {
      spec: { groups: { rules: { expr?: string }[] }[] };
    };
    delete rule.spec.groups[0]!.rules[0]!.expr;
    const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
    for (const bad of [cron, rule]) {
      await assert.rejects(cluster.apply(bad as unknown as KObject, { dryRun: true }), /HTTP 422|Invalid/);
    }
  });
});

test('kubectl reads ferry’s YAML as exactly the rendered objects (Go YAML parser, every example × environment)', async () => {
  await testCluster(); // kubectl needs the API server for discovery
  for (const example of exampleNames()) {
    const app = await loadApp(`${root}examples/${example}`);
    for (const env of Object.keys(app.platform.manifest.environments)) {
      const ws = listWorkloads(app, env, '1.0.0');
      const docs = renderEnvironment(ws[0]!.environment, ws, { jobs: true });
      const r = spawnSync(
        testKubectl(),
        ['--kubeconfig', testKubeconfigPath(), 'create', '--dry-run=client', '-o', 'json', '-f', '-'],
        { input: toYamlStream(docs), encoding: 'utf8' },
      );
      assert.equal(r.status, 0, `kubectl failed for ${example} ${env}: ${r.stderr}`);
      // one pretty-printed JSON object per document; top-level braces start a line
      const read = JSON.parse(`[${r.stdout.trim().replace(/\n\}\n\{/g, '\n},\n{')}]`) as unknown[];
      assert.deepEqual(
        read,
        JSON.parse(JSON.stringify(docs)),
        `${example} ${env}: kubectl read something else`,
      );
    }
  }
});
