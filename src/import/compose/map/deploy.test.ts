import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapDeploy } from './deploy.ts';

test('deploy: replicas → instances; rollout settings are approximated by what ferry does', () => {
  const r = runMappers([mapDeploy], {
    deploy: {
      replicas: 3,
      update_config: { order: 'stop-first', failure_action: 'pause', monitor: '30s', parallelism: 2 },
      rollback_config: { parallelism: 1 },
      endpoint_mode: 'dnsrr',
    },
  });
  assert.equal(r.m.instances, 3);
  assert.equal(r.at('deploy.replicas')?.outcome, 'mapped');
  assert.match(r.at('deploy.update_config.order')?.note ?? '', /stop-first is not kept/);
  assert.match(r.at('deploy.update_config.failure_action')?.note ?? '', /"pause"/);
  assert.equal(r.at('deploy.update_config.monitor')?.to, 'environments.<env>.observe');
  for (const p of ['deploy.update_config.parallelism', 'deploy.rollback_config', 'deploy.endpoint_mode'])
    assert.equal(r.at(p)?.outcome, 'approximated', p);
});

test('deploy: bad replicas and a non-mapping are dropped; global and job modes are reported', () => {
  assert.equal(
    runMappers([mapDeploy], { deploy: { replicas: 1.5 } }).at('deploy.replicas')?.outcome,
    'dropped',
  );
  assert.equal(runMappers([mapDeploy], { deploy: 'x' }).at('deploy')?.outcome, 'dropped');
  assert.match(
    runMappers([mapDeploy], { deploy: { mode: 'global' } }).at('deploy.mode')?.note ?? '',
    /DaemonSet/,
  );
  assert.equal(
    runMappers([mapDeploy], { deploy: { mode: 'replicated-job' } }).at('deploy.mode')?.to,
    'crons',
  );
});
