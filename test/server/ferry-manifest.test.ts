// ferry deploys ferry: deploy/ferry's manifest validates, renders the server as described (2
// instances, PostgreSQL through the feature, health on /readyz, port 7070), and the API server's
// server-side dry-run accepts every object, and its RBAC. The RBAC, applied for real to a
// ServiceAccount of a test namespace, grants what deploys need and nothing cluster-admin-like.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ferry } from '../../src/cli/testing.ts';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { KObject } from '../../src/cluster/types.ts';
import { parseServerConfig } from '../../src/server/config-file.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { listWorkloads } from '../../src/model/resolve.ts';
import type { KubeObject } from '../../src/render/kubernetes/object.ts';
import { renderEnvironment } from '../../src/render/kubernetes/target.ts';
import { repoRoot, testKubeconfigPath, testKubectl, withNamespace } from '../kit/cluster.ts';

const dir = join(repoRoot, 'deploy/ferry');

interface Container {
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports?: { containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  volumeMounts?: { mountPath: string }[];
}

test('ferry validate accepts deploy/ferry', async () => {
  const r = await ferry('validate', '-C', dir, '-o', 'json');
  assert.equal(r.code, 0, r.stderr + r.stdout);
});

test('deploy/ferry renders the server as described, and the API server accepts every object', async () => {
  const app = await loadApp(dir);
  assert.deepEqual(Object.keys(app.platform.manifest.environments), ['prod']);
  await withNamespace('ferry-server', async ({ namespace }) => {
    const workloads = listWorkloads(app, 'prod', '0.1.0').map((w) => ({
      ...w,
      environment: { ...w.environment, namespace },
    }));
    const docs: KubeObject[] = renderEnvironment(workloads[0]!.environment, workloads, { jobs: true });
    const deployment = docs.find((d) => d.kind === 'Deployment') as
      | (KubeObject & { spec: { replicas: number; template: { spec: { containers: Container[] } } } })
      | undefined;
    assert.ok(deployment);
    assert.equal(deployment.metadata.name, 'ferry-server');
    assert.equal(deployment.spec.replicas, 2);
    const [c] = deployment.spec.template.spec.containers;
    assert.deepEqual(
      c?.ports?.map((p) => p.containerPort),
      [7070],
    );
    assert.equal(c?.readinessProbe?.httpGet?.path, '/readyz');
    const env = c?.env ?? [];
    const db = env.findIndex((e) => e.name === 'DATABASE_URL');
    const state = env.findIndex((e) => e.name === 'FERRY_STATE');
    assert.deepEqual(env[db]?.valueFrom?.secretKeyRef, { name: 'ferry-server-postgres', key: 'url' });
    assert.equal(env[state]?.value, '$(DATABASE_URL)');
    assert.ok(db >= 0 && db < state, 'DATABASE_URL comes first, so Kubernetes expands $(DATABASE_URL)');
    // the server reads its configuration from the file the manifest mounts, and it is one
    assert.deepEqual(c?.args?.slice(-2), ['--config', '/etc/ferry/server.yaml']);
    assert.ok(c?.volumeMounts?.some((m) => m.mountPath === '/etc/ferry/server.yaml'));
    const files = docs.find((d) => d.kind === 'ConfigMap') as
      (KubeObject & { data: Record<string, string> }) | undefined;
    const config = parseServerConfig(files?.data['server.yaml'] ?? '', 'server.yaml');
    assert.ok('git' in config.project, 'a git project');
    assert.ok(
      docs.some((d) => d.kind === 'PodDisruptionBudget'),
      'two instances get a disruption budget',
    );

    const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
    const rbac = parseAllDocuments(readFileSync(join(dir, 'rbac.yaml'), 'utf8')).map(
      (d) => d.toJS() as KObject,
    );
    const failures: string[] = [];
    for (const doc of [...(docs as unknown as KObject[]), ...rbac]) {
      try {
        const got = await cluster.apply(doc, { dryRun: true });
        assert.equal(got.kind, doc.kind);
      } catch (err) {
        failures.push(
          `${doc.kind}/${doc.metadata.name}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    assert.deepEqual(failures, [], `the API server rejected:\n${failures.join('\n')}`);
    assert.deepEqual([...new Set(docs.map((d) => d.kind))].sort(), [
      // the server's configuration file (files[].content)
      'ConfigMap',
      'Deployment',
      'Ingress',
      'Namespace',
      'PodDisruptionBudget',
      'Service',
    ]);
  });
});

test('deploy/ferry/rbac.yaml lets the server deploy anywhere and nothing more', async () => {
  await withNamespace('ferry-rbac', async ({ namespace }) => {
    const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
    const name = `ferry-server-${namespace}`;
    const [role, binding] = parseAllDocuments(readFileSync(join(dir, 'rbac.yaml'), 'utf8')).map(
      (d) => d.toJS() as KObject & { subjects?: { namespace: string }[]; roleRef?: { name: string } },
    );
    role!.metadata.name = name;
    binding!.metadata.name = name;
    binding!.roleRef!.name = name;
    binding!.subjects![0]!.namespace = namespace;
    await cluster.apply(role!);
    await cluster.apply(binding!);
    try {
      const can = (verb: string, resource: string, ns?: string): boolean => {
        const r = spawnSync(
          testKubectl(),
          [
            '--kubeconfig',
            testKubeconfigPath(),
            'auth',
            'can-i',
            verb,
            resource,
            `--as=system:serviceaccount:${namespace}:default`,
            ...(ns ? ['-n', ns] : []),
          ],
          { encoding: 'utf8' },
        );
        return r.stdout.trim() === 'yes';
      };
      for (const [verb, resource] of [
        ['create', 'namespaces'],
        ['patch', 'deployments.apps'],
        ['delete', 'ingresses.networking.k8s.io'],
        ['create', 'jobs.batch'],
        ['update', 'secrets'],
        ['create', 'leases.coordination.k8s.io'],
        ['get', 'pods/log'],
        ['watch', 'pods'],
      ] as const) {
        assert.ok(can(verb, resource, 'some-team-prod'), `${verb} ${resource}`);
      }
      for (const [verb, resource] of [
        ['delete', 'namespaces'],
        ['create', 'clusterroles.rbac.authorization.k8s.io'],
        ['create', 'pods/exec'],
        ['delete', 'nodes'],
      ] as const) {
        assert.ok(!can(verb, resource, 'some-team-prod'), `not ${verb} ${resource}`);
      }
    } finally {
      for (const o of [binding!, role!]) {
        await cluster.delete({ apiVersion: o.apiVersion, kind: o.kind, name, namespace: undefined });
      }
    }
  });
});
