import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapVolumes } from './volumes.ts';

test('named volumes become claims; binds, tmpfs and anonymous volumes are dropped with the reason', () => {
  const r = runMappers(
    [mapVolumes],
    {
      volumes: [
        'data:/var/lib/data',
        './conf:/etc/conf',
        '/scratch',
        { type: 'tmpfs', target: '/tmp' },
        { type: 'npipe', source: 'x', target: '/x' },
        'rel:relative',
      ],
    },
    { project: { volumes: { data: { driver: 'local', labels: { a: 'b' } } } } },
  );
  assert.deepEqual(r.m.volumes, [{ name: 'data', path: '/var/lib/data', size: '100Mi' }]);
  assert.equal(r.at('volumes[0]')?.outcome, 'approximated');
  for (const i of [1, 2, 3, 4, 5]) assert.equal(r.at(`volumes[${i}]`)?.outcome, 'dropped', `volumes[${i}]`);
  assert.match(r.at('volumes.data.driver')?.note ?? '', /storage class/);
});
