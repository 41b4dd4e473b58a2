import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapVolumes } from './volumes.ts';

test('named volumes and read-write host paths are persistent volumes, never dropped; the service is stateful', () => {
  const r = runMappers(
    [mapVolumes],
    {
      volumes: [
        'pgdata:/var/lib/postgresql/data',
        '/srv/uploads:/app/uploads',
        './data:/data',
        './nginx.conf:/etc/nginx/nginx.conf:ro',
        '/var/run/docker.sock:/var/run/docker.sock',
        '/etc/ssl/certs:/etc/ssl/certs:ro',
        '/scratch',
        { type: 'tmpfs', target: '/tmp' },
        { type: 'npipe', source: 'x', target: '/x' },
        'rel:relative',
      ],
    },
    {
      project: { volumes: { pgdata: { driver: 'local', labels: { a: 'b' } } } },
      projectFiles: new Map([
        ['/srv/uploads', { kind: 'host' }],
        ['./data', { kind: 'missing' }],
        ['./nginx.conf', { kind: 'file', bytes: 9, text: 'events{}\n' }],
      ]),
    },
  );
  assert.deepEqual(r.m.volumes, [
    {
      name: 'pgdata',
      path: '/var/lib/postgresql/data',
      size: '100Mi',
      from: 'the Docker volume pgdata on the old nodes',
    },
    { name: 'uploads', path: '/app/uploads', size: '10Gi', from: 'host path /srv/uploads on the old nodes' },
    { name: 'data', path: '/data', size: '10Gi', from: 'the folder ./data next to the compose file' },
  ]);
  assert.equal(r.m.stateful, true);
  assert.deepEqual(r.m.files, [{ path: '/etc/nginx/nginx.conf', content: 'events{}\n' }]);
  for (const i of [0, 1, 2]) {
    assert.equal(r.at(`volumes[${i}]`)?.outcome, 'approximated');
    assert.equal(r.at(`volumes[${i}]`)?.blocking, true, 'the size and the data must be confirmed');
    assert.match(r.at(`volumes[${i}]`)?.note ?? '', /StatefulSet/);
  }
  assert.match(r.at('volumes[4]')?.note ?? '', /node's own/);
  for (const i of [4, 5, 6, 7, 8, 9])
    assert.equal(r.at(`volumes[${i}]`)?.outcome, 'dropped', `volumes[${i}]`);
  assert.match(r.at('volumes.pgdata.driver')?.note ?? '', /storage class/);
});

test('no persistent volume: not stateful', () => {
  const r = runMappers([mapVolumes], { volumes: ['/var/run/docker.sock:/var/run/docker.sock'] });
  assert.equal(r.m.stateful, undefined);
  assert.equal(r.m.volumes, undefined);
});
