// The real node itself: a kubelet of the control plane's own version with containerd, which kwok
// leaves alone; only pods that tolerate its taint and select its label land on it; its pods reach
// the host on the bridge and nothing else (no route out, image pulls refused on the machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VersionApi, type V1Pod } from '@kubernetes/client-node';
import { testCluster, withNamespace } from '../kit/cluster.ts';
import { deployment } from '../kit/workloads.ts';
import { podsWhere, realNode, realNodeSkip, realPodPlacement, REAL_NODE_LABEL } from '../kit/real-node.ts';

const skip = realNodeSkip;

test(
  'the real node runs its own kubelet at the control plane version; kwok does not manage it',
  { skip },
  async () => {
    const node = await realNode();
    const { core, kc } = await testCluster();
    const n = await core.readNode({ name: node.name });
    const server = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(n.status?.nodeInfo?.kubeletVersion, server.gitVersion);
    assert.match(n.status?.nodeInfo?.containerRuntimeVersion ?? '', /^containerd:\/\/1\./);
    assert.equal(n.metadata?.labels?.[REAL_NODE_LABEL.key], REAL_NODE_LABEL.value);
    assert.deepEqual(
      n.spec?.taints?.map((t) => `${t.key}=${t.value}:${t.effect}`),
      [`${REAL_NODE_LABEL.key}=${REAL_NODE_LABEL.value}:NoSchedule`],
    );
    assert.equal(n.metadata?.annotations?.['kwok.x-k8s.io/node'], undefined, 'not a kwok node');
    assert.deepEqual(
      n.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address),
      [node.gateway],
    );
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.reason, 'KubeletReady');
    // kwok's node controller would have added this condition (reason RouteCreated)
    assert.equal(
      n.status?.conditions?.find((c) => c.type === 'NetworkUnavailable'),
      undefined,
    );
    // the simulated nodes are still kwok's
    const all = await core.listNode();
    const simulated = all.items.filter((x) => x.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
    assert.ok(simulated.length >= 1);
    for (const s of simulated) assert.match(s.status?.nodeInfo?.kubeletVersion ?? '', /^kwok-/);
  },
);

test('only pods that tolerate the taint and select the label run on the real node', { skip }, async () => {
  const node = await realNode();
  await withNamespace('real-placement', async ({ namespace, core, apps }) => {
    await apps.createNamespacedDeployment({ namespace, body: deployment('plain', 6) });
    const onReal = deployment('placed', 1);
    onReal.spec!.template.spec!.containers[0]!.image = 'ferry.local/demo-app:1.0.0';
    Object.assign(onReal.spec!.template.spec!, realPodPlacement);
    await apps.createNamespacedDeployment({ namespace, body: onReal });
    const scheduled = (pods: V1Pod[]) => pods.length > 0 && pods.every((p) => p.spec?.nodeName);
    const plain = await podsWhere(
      core,
      namespace,
      'app=plain',
      (p) => p.length === 6 && scheduled(p),
      '6 plain pods scheduled',
    );
    assert.ok(
      plain.every((p) => p.spec!.nodeName!.startsWith('ferry-node-')),
      'none on the real node',
    );
    const [placed] = await podsWhere(
      core,
      namespace,
      'app=placed',
      (p) => p.length === 1 && p[0]?.status?.containerStatuses?.[0]?.ready === true,
      'the placed pod Ready',
    );
    assert.equal(placed!.spec?.nodeName, node.name);
  });
});

test(
  'pods reach the host on the bridge and nothing else; image pulls are refused on the machine',
  { skip },
  async () => {
    const node = await realNode();
    const pgPort = new URL(readFileSync(new URL('../../.ferry/postgres/url', import.meta.url), 'utf8')).port;
    await withNamespace('real-network', async ({ namespace, core }) => {
      const script = [
        'ip -4 route',
        `nc -w 2 ${node.gateway} ${pgPort} </dev/null; echo "postgres rc=$?"`,
        'nc -w 2 198.51.100.1 80 </dev/null 2>&1; echo "outside rc=$?"',
      ].join('; ');
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'net', labels: { app: 'net' } },
          spec: {
            ...realPodPlacement,
            restartPolicy: 'Never',
            containers: [{ name: 'net', image: 'ferry.local/demo-app:1.0.0', command: ['sh', '-c', script] }],
          },
        },
      });
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'missing', labels: { app: 'missing' } },
          spec: {
            ...realPodPlacement,
            containers: [{ name: 'app', image: 'ferry.local/demo-app:no-such-tag' }],
          },
        },
      });
      const [net] = await podsWhere(
        core,
        namespace,
        'app=net',
        (p) => p[0]?.status?.phase === 'Succeeded',
        'pod net Succeeded',
      );
      assert.match(
        net!.status!.podIP!,
        new RegExp(`^${node.subnet.replace(/\.0\/24$/, '').replace(/\./g, '\\.')}\\.`),
      );
      const log = await core.readNamespacedPodLog({ name: 'net', namespace });
      const routes = log.split('\n').filter((l) => /^\d|^default/.test(l));
      assert.deepEqual(
        routes.map((l) => l.split(' ')[0]),
        [node.subnet],
        `only the bridge's subnet is routed:\n${log}`,
      );
      assert.match(log, /postgres rc=0/);
      assert.match(log, /outside rc=1/);
      assert.match(log, /Network is unreachable|network unreachable/i);

      const [missing] = await podsWhere(
        core,
        namespace,
        'app=missing',
        (p) =>
          /ErrImagePull|ImagePullBackOff/.test(
            p[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '',
          ),
        'pod missing ErrImagePull',
      );
      const why = missing!.status!.containerStatuses![0]!.state!.waiting!;
      // containerd's pulls go to a proxy address that refuses: no registry, no DNS
      if (why.reason === 'ErrImagePull')
        assert.match(why.message ?? '', /127\.0\.0\.1:1: connect: connection refused/);
    });
  },
);
