// Daemons on the real cluster: `daemon: true` deploys a DaemonSet that track waits for on every
// node (the kwok nodes), observe watches, and a failing pod of a new version fails the release
// at once and reverts it — as for Deployments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { faultStagesAvailable, withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, tempApp, testDeps } from './kit.ts';

const daemonYaml = `service: agent
image: registry.example.com/test/agent
command: ./agent
port: 8080
health: /healthz
resources: { cpu: 50m, memory: 32Mi }
daemon: true
`;

test(
  'a daemon rolls out on every node, is tracked and observed, and a failing new version is reverted',
  { timeout: 120_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' },
  async () => {
    await withNamespace('daemon', async ({ namespace, apps, core }) => {
      const app = tempApp(namespace, '', '    observe: 2s\n');
      const deps = await testDeps(app.statePath);
      try {
        app.write('agent', daemonYaml);
        const nodes = (await core.listNode()).items.filter((n) => !n.spec?.taints?.length).length;
        assert.ok(nodes >= 2, `${nodes} schedulable nodes`);
        const good = await deploy(deps, await app.load(), {
          service: 'agent',
          environment: 'test',
          version: '1.0.0',
          ...deployDefaults,
        });
        assert.equal(good.outcome, 'succeeded', good.message);
        const track = good.steps.find((s) => s.name === 'track');
        assert.equal(track?.message, `${nodes}/${nodes} ready`);
        assert.match(
          good.steps.find((s) => s.name === 'observe')?.message ?? '',
          new RegExp(`^${nodes} pods stayed ready`),
        );
        const ds = await apps.readNamespacedDaemonSet({ name: 'agent', namespace });
        assert.equal(ds.status?.numberAvailable, nodes);
        const deployments = await apps.listNamespacedDeployment({ namespace });
        assert.equal(deployments.items.length, 0, 'a daemon renders no Deployment');

        const bad = await deploy(deps, await app.load(), {
          service: 'agent',
          environment: 'test',
          version: '2.0.0',
          ...deployDefaults,
          podLabels: [parsePodLabel('web:ferry.dev/fault=never-ready')],
        });
        assert.equal(bad.outcome, 'failed');
        assert.equal(bad.failedStep, 'track');
        assert.match(bad.message, /DaemonSet\/agent: .*CrashLoopBackOff/);
        assert.equal(bad.reverted, true);
        const back = await apps.readNamespacedDaemonSet({ name: 'agent', namespace });
        assert.equal(back.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/agent:1.0.0');
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);
