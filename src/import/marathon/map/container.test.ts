import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { appVersion, mapContainer } from './container.ts';

test('container.docker.image → image and version; docker options are reported', () => {
  const docker = {
    image: 'registry/anna/hcn:2.3.0',
    forcePullImage: true,
    network: 'BRIDGE',
    privileged: true,
    parameters: [],
  };
  const r = runMappers([mapContainer], { id: 'hcn', container: { type: 'DOCKER', docker } });
  assert.equal(r.m.image, 'registry/anna/hcn');
  assert.equal(appVersion(docker), '2.3.0');
  assert.equal(r.at('container.docker.image')?.outcome, 'approximated');
  assert.equal(r.at('container.type')?.outcome, 'mapped');
  assert.equal(r.at('container.docker.forcePullImage')?.outcome, 'approximated');
  assert.equal(r.at('container.docker.privileged')?.outcome, 'dropped');
  assert.equal(r.at('container.docker.parameters')?.outcome, 'dropped');
});

test('no container: the command ran on the agent, the image is the service name', () => {
  const r = runMappers([mapContainer], { id: 'x', cmd: 'python -m http.server' });
  assert.equal(r.m.image, 'web');
  assert.match(r.at('id')?.note ?? '', /Mesos agent/);
});
