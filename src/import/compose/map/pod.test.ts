import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapDropped } from './dropped.ts';
import { mapPod } from './pod.ts';

test('stop_grace_period, numeric user, read_only, cap_add/cap_drop and no-new-privileges become pod settings', () => {
  const r = runMappers([mapPod, mapDropped], {
    stop_grace_period: '2m',
    user: '1000:1001',
    read_only: true,
    cap_add: ['NET_BIND_SERVICE'],
    cap_drop: ['CAP_ALL'],
    security_opt: ['no-new-privileges:true'],
  });
  assert.deepEqual(r.m.pod, {
    terminationGracePeriod: '2m',
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 1001,
      readOnlyRootFilesystem: true,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      allowPrivilegeEscalation: false,
    },
  });
  for (const k of ['stop_grace_period', 'user', 'read_only', 'cap_add', 'cap_drop', 'security_opt'])
    assert.equal(r.at(k)?.outcome, 'mapped', k);
});

test('a user name, a seccomp option and a bad duration are dropped with what to do', () => {
  const r = runMappers([mapPod, mapDropped], {
    stop_grace_period: 'soon',
    user: 'celery',
    security_opt: ['seccomp:unconfined'],
  });
  assert.equal(r.m.pod, undefined);
  assert.equal(r.at('user')?.outcome, 'dropped');
  assert.match(JSON.stringify(r.at('user')), /runAsUser/);
  assert.equal(r.at('security_opt')?.outcome, 'dropped');
  assert.equal(r.at('stop_grace_period')?.outcome, 'dropped');
});
