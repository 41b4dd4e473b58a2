// kubectl (the one built with the cluster, or FERRY_TEST_KUBECTL) works with the kubeconfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { faultStagesAvailable, testCluster, testKubectl } from '../kit/cluster.ts';

function kubectl(kubeconfig: string, ...args: string[]): string {
  const r = spawnSync(testKubectl(), ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

interface NodeList {
  items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
}

test('kubectl get nodes works against the kubeconfig', async () => {
  const { kubeconfigPath } = await testCluster();
  const nodes = JSON.parse(kubectl(kubeconfigPath, 'get', 'nodes', '-o', 'json')) as NodeList;
  assert.ok(nodes.items.length >= 1);
  for (const node of nodes.items) {
    const ready = node.status.conditions.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True', `node ${node.metadata.name} is Ready`);
  }
  const table = kubectl(kubeconfigPath, 'get', 'nodes');
  assert.match(table, /^NAME\s+STATUS/);
  if (faultStagesAvailable) {
    // the local cluster: 3 simulated nodes unless FERRY_CLUSTER_NODES said otherwise, and the
    // real node (ferry-real-1) unless FERRY_CLUSTER_REAL_NODES=0
    const names = nodes.items.map((n) => n.metadata.name);
    const simulated = names.filter((n) => n.startsWith('ferry-node-'));
    assert.equal(simulated.length, Number(process.env.FERRY_CLUSTER_NODES ?? 3));
    const real = process.env.FERRY_CLUSTER_REAL_NODES === '0' ? [] : ['ferry-real-1'];
    assert.deepEqual(
      names.filter((n) => !simulated.includes(n)),
      real,
    );
  }
  const version = JSON.parse(kubectl(kubeconfigPath, 'version', '-o', 'json')) as {
    serverVersion: { gitVersion: string };
  };
  assert.match(version.serverVersion.gitVersion, /^v1\.\d+\.\d+/);
});
