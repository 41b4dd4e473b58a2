// The cutover command's edges with a real SQLite store and no cluster: status of a runbook never
// started, next and abort refused with exit 3 when nothing is in progress, an environment without
// a cut-over or a bad runbook refused with exit 2 and located, -o json everywhere.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { platformText, SERVICE_API, SERVICE_WEB } from '../../model/cutover-testing.ts';
import { runFerry, tempDir } from '../testing.ts';

function project(platform = platformText('traefik')) {
  const dir = tempDir('ferry-cutover-cli-', {
    'ferry.platform.yaml': `services: ['services/*']\n${platform}`,
    'services/web/ferry.yaml': SERVICE_WEB,
    'services/api/ferry.yaml': SERVICE_API,
  });
  const state = join(dir, 'state.db');
  return (...args: string[]) =>
    runFerry(['-C', dir, 'cutover', ...args], { FERRY_STATE: state, KUBECONFIG: '/nonexistent' });
}

test('status of a cut-over never started: every step pending, as text and as JSON', async () => {
  const run = project();
  const text = await run('status', '--env', 'prod');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^cut-over cutover in prod \(traefik\)$/m);
  assert.match(text.stdout, /^6 +weight 5 % +pending/m);
  assert.match(text.stdout, /traffic: 0 % new \/ 100 % old; not started/);
  const json = await run('status', '--env', 'prod', '-o', 'json');
  const v = (JSON.parse(json.stdout) as { cutover: { phase: string; steps: { description: string }[] } })
    .cutover;
  assert.equal(v.phase, 'not-started');
  assert.deepEqual(v.steps.map((s) => s.description).slice(-4), [
    'weight 5 %',
    'weight 25 %',
    'weight 50 %',
    'weight 100 %',
  ]);
});

test('next and abort with nothing in progress: exit 3, E_CUTOVER_STATE', async () => {
  const run = project();
  for (const sub of ['next', 'abort']) {
    const r = await run(sub, '--env', 'prod', '-o', 'json');
    assert.equal(r.code, 3, r.stderr);
    const e = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(e.code, 'E_CUTOVER_STATE');
    assert.match(e.message, /no cut-over cutover has been started in prod/);
  }
});

test('no cut-over for the environment, or a bad runbook: exit 2, located in the platform file', async () => {
  const none = await project()('status', '--env', 'staging', '-o', 'json');
  assert.equal(none.code, 2);
  const run = project(platformText('traefik').replace('weights: [5, 25, 50, 100]', 'weights: [5, 25]'));
  const r = await run('plan', '--env', 'prod');
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /ferry\.platform\.yaml:\d+:\d+: cutover\.prod\.steps: the runbook ends with 25 % of requests on the new platform/,
  );
});
