import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRepository, pushedRepository, sameRepository } from './repository.ts';

test('images are named the way Docker names them', () => {
  assert.deepEqual(parseRepository('nginx'), { host: 'docker.io', path: 'library/nginx' });
  assert.deepEqual(parseRepository('team/app'), { host: 'docker.io', path: 'team/app' });
  assert.deepEqual(parseRepository('index.docker.io/team/app'), { host: 'docker.io', path: 'team/app' });
  assert.deepEqual(parseRepository('ghcr.io/acme/api'), { host: 'ghcr.io', path: 'acme/api' });
  assert.deepEqual(parseRepository('localhost:5000/a/b'), { host: 'localhost:5000', path: 'a/b' });
});

test('a push matches by host and path; a push without a host by path', () => {
  const img = parseRepository('registry.example.com:5000/team/app');
  assert.equal(sameRepository(img, pushedRepository('registry.example.com:5000', 'team/app')), true);
  assert.equal(sameRepository(img, pushedRepository('other.example.com', 'team/app')), false);
  assert.equal(sameRepository(img, pushedRepository(undefined, 'team/app')), true);
  assert.equal(sameRepository(img, pushedRepository(undefined, 'team/other')), false);
  assert.equal(sameRepository(parseRepository('nginx'), pushedRepository('docker.io', 'nginx')), true);
});
