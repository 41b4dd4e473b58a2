// Drift on the real cluster: fields another manager adds to ferry's objects by hand
// (`kubectl set env`, a label patched into the pod template) are shown by diff and status and
// taken back by the next deploy — and by the revert of a failed one; a field the platform lets
// others own (policy.driftIgnore) stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runFerry } from '../../src/cli/testing.ts';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { faultStagesAvailable, testKubeconfigPath, testKubectl, withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

function kubectl(namespace: string, ...args: string[]): void {
  const r = spawnSync(testKubectl(), ['--kubeconfig', testKubeconfigPath(), '-n', namespace, ...args], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
}

const opts = { timeout: 180_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' };

test('hand edits are drift: diff and status show them, deploy and revert take them back', opts, async () => {
  await withNamespace('drift', async ({ namespace, apps }) => {
    const app = tempApp(namespace);
    app.writePlatform(
      `services: ['services/*']
environments:
  test: { namespace: ${namespace}, createNamespace: false, tls: { disabled: true } }
policy:
  progressDeadline: 60s
  driftIgnore: ['Deployment:spec.template.metadata.annotations']
`,
    );
    const deps = await testDeps(app.statePath);
    const cli = (...args: string[]) =>
      runFerry(['-C', app.dir, ...args], { FERRY_STATE: app.statePath, KUBECONFIG: testKubeconfigPath() });
    try {
      app.write('web', serviceYaml('web', { instances: 1 }));
      const r1 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '1.0.0',
        ...deployDefaults,
      });
      assert.equal(r1.outcome, 'succeeded', r1.message);
      // nothing changed by hand yet: diff of the running version finds nothing
      const clean = await cli('diff', 'web', '--env', 'test', '-o', 'json');
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);

      kubectl(namespace, 'set', 'env', 'deploy/web', 'HACK=1');
      kubectl(
        namespace,
        'patch',
        'deploy/web',
        '--type',
        'merge',
        '-p',
        '{"spec":{"template":{"metadata":{"labels":{"hack":"yes"},"annotations":{"allowed/by-policy":"x"}}}}}',
      );

      const diff = await cli('diff', 'web', '--env', 'test');
      assert.equal(diff.code, 3, diff.stderr);
      assert.match(diff.stdout, /# Deployment\/web: update/);
      assert.match(
        diff.stdout,
        /# drift: spec\.template\.spec\.containers\[name=web\]\.env\[name=HACK\] \(kubectl-set\)/,
      );
      assert.match(diff.stdout, /# drift: spec\.template\.metadata\.labels\.hack \(kubectl-patch\)/);
      assert.match(diff.stdout, /^-\s+- name: HACK$/m);
      assert.doesNotMatch(diff.stdout, /allowed\/by-policy \(/, 'an ignored field is not drift');

      const status = await cli('status', '-o', 'json');
      const rows = JSON.parse(status.stdout) as { services: { drift: string[] }[] };
      assert.equal(rows.services[0]?.drift.length, 2, JSON.stringify(rows.services[0]?.drift));

      const r2 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '1.0.1',
        ...deployDefaults,
      });
      assert.equal(r2.outcome, 'succeeded', r2.message);
      assert.match(
        r2.steps.find((s) => s.name === 'apply')?.message ?? '',
        /took back Deployment\/web: .*HACK/,
      );
      let d = await apps.readNamespacedDeployment({ name: 'web', namespace });
      assert.equal(
        d.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'HACK'),
        undefined,
      );
      assert.equal(d.spec?.template.metadata?.labels?.hack, undefined);
      assert.equal(
        d.spec?.template.metadata?.annotations?.['allowed/by-policy'],
        'x',
        'driftIgnore keeps it',
      );
      assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.1');

      // added again, then a deploy that fails: the revert to 1.0.1 takes the hand edit back too
      kubectl(namespace, 'set', 'env', 'deploy/web', 'HACK=2');
      const bad = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '2.0.0',
        ...deployDefaults,
        podLabels: [parsePodLabel('web:ferry.dev/fault=never-ready')],
      });
      assert.equal(bad.outcome, 'failed');
      assert.equal(bad.reverted, true);
      d = await apps.readNamespacedDeployment({ name: 'web', namespace });
      assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.1');
      assert.equal(
        d.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'HACK'),
        undefined,
      );
    } finally {
      await deps.store.close();
      app.cleanup();
    }
  });
});
