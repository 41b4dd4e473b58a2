// Every import is accepted by a real Kubernetes API server: the whole corpus, the Swarm fixture
// and generated stacks are imported, loaded as `ferry validate` loads them, rendered (with the
// migration and check Jobs) and sent to the test cluster as server-side dry-run applies.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { KubeCluster } from '../src/cluster/kube.ts';
import type { KObject } from '../src/cluster/types.ts';
import { importFiles } from '../src/import/index.ts';
import type { ImportResult } from '../src/import/types.ts';
import { writeImport } from '../src/import/write.ts';
import { loadApp } from '../src/manifest/load.ts';
import { listWorkloads } from '../src/model/resolve.ts';
import { renderEnvironment } from '../src/render/kubernetes/target.ts';
import { testKubeconfigPath, withNamespace } from './kit/cluster.ts';
import { corpusImports } from './kit/corpus.ts';
import { stackArb, writeStack } from './kit/stacks.ts';

const STACK = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/swarm-shop/docker-stack.yml');

/** The objects the API server rejects, one line each; the kinds it was sent. */
async function dryRun(
  r: ImportResult,
  namespace: string,
): Promise<{ failures: string[]; kinds: Set<string> }> {
  const out = await mkdtemp(join(tmpdir(), 'ferry-dryrun-import-'));
  await writeImport(r, out, { force: false });
  const app = await loadApp(out);
  const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
  const failures: string[] = [];
  const kinds = new Set<string>();
  for (const env of Object.keys(app.platform.manifest.environments)) {
    const ws = listWorkloads(app, env, '1.0.0').map((w) => ({
      ...w,
      environment: { ...w.environment, namespace },
    }));
    if (ws.length === 0) continue;
    for (const doc of renderEnvironment(ws[0]!.environment, ws, { jobs: true })) {
      if (doc.kind === 'Namespace') continue;
      kinds.add(doc.kind);
      try {
        await cluster.apply(doc as unknown as KObject, { dryRun: true });
      } catch (err) {
        failures.push(
          `${doc.kind}/${doc.metadata.name}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }
  return { failures, kinds };
}

test('the whole corpus imports into objects the API server accepts', async () => {
  await withNamespace('dryrun-corpus', async ({ namespace }) => {
    const failures: string[] = [];
    let imports = 0;
    for (const c of await corpusImports())
      for (const files of await c.files()) {
        const r = await importFiles(files, undefined, { vars: {} });
        if (r.services.length === 0) continue;
        imports++;
        failures.push(...(await dryRun(r, namespace)).failures.map((f) => `${c.name}: ${f}`));
      }
    assert.ok(imports >= 30, `${imports} imports`);
    assert.deepEqual(failures, []);
  });
});

test('the Swarm stack imports into objects the API server accepts: StatefulSets, files, cron-only', async () => {
  await withNamespace('dryrun-swarm', async ({ namespace }) => {
    const r = await importFiles([STACK], undefined, { vars: { SESSION_SECRET: 'x' } });
    const { failures, kinds } = await dryRun(r, namespace);
    assert.deepEqual(failures, []);
    for (const k of ['StatefulSet', 'Deployment', 'Service', 'ConfigMap', 'CronJob', 'Ingress'])
      assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
  });
});

test('generated stacks import into objects the API server accepts', async () => {
  await withNamespace('dryrun-stacks', async ({ namespace }) => {
    await fc.assert(
      fc.asyncProperty(stackArb, async (stack) => {
        const r = await importFiles([await writeStack(stack)], undefined, { vars: stack.vars });
        assert.deepEqual((await dryRun(r, namespace)).failures, []);
      }),
      { numRuns: 25 },
    );
  });
});
