import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapVolumes } from './volumes.ts';

test('persistent volumes keep their size; sandbox-relative paths become absolute; others are dropped', () => {
  const r = runMappers([mapVolumes], {
    container: {
      volumes: [
        { containerPath: 'pgdata', persistent: { size: 2048 }, mode: 'RW' },
        { containerPath: '/ext', external: { name: 'ebs-1', provider: 'dvdi' } },
        { containerPath: '/logs', hostPath: '/var/log', mode: 'RW' },
        { containerPath: '/x' },
        { containerPath: 'run/secrets/db_password', secret: 'dbpass' },
      ],
    },
    secrets: { dbpass: { source: 'db-password/db_password' } },
  });
  assert.deepEqual(r.m.volumes, [{ name: 'pgdata', path: '/pgdata', size: '2Gi' }]);
  assert.equal(r.m.stateful, true);
  assert.deepEqual(r.m.files, [
    { path: '/run/secrets/db_password', secret: 'db-password', key: 'db_password' },
  ]);
  assert.equal(r.at('secrets.dbpass')?.outcome, 'mapped');
  assert.match(r.at('container.volumes[0]')?.note ?? '', /relative to the sandbox/);
  for (const i of [1, 2, 3]) assert.equal(r.at(`container.volumes[${i}]`)?.outcome, 'dropped');
});
