import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../../../errors.ts';
import { parseRegistryDelivery, type RegistryProvider } from './payloads.ts';
import { distributionEnvelope, dockerhubPush, ghcrPackage, harborPush, quayPush } from './testing.ts';

const D = `sha256:${'c'.repeat(64)}`;
const raw = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: new Headers(headers),
});
const parse = (p: RegistryProvider, body: unknown, headers?: Record<string, string>) =>
  parseRegistryDelivery(p, raw(body, headers));

test('Docker Hub: the tag and repo_name, no digest; the id is the body digest', () => {
  const d = parse('dockerhub', dockerhubPush({ repository: 'acme/api', tag: '1.2.0' }));
  assert.deepEqual(d.pushes, [{ host: 'docker.io', path: 'acme/api', tag: '1.2.0', digest: undefined }]);
  assert.equal(d.id, parse('dockerhub', dockerhubPush({ repository: 'acme/api', tag: '1.2.0' })).id);
  assert.notEqual(d.id, parse('dockerhub', dockerhubPush({ repository: 'acme/api', tag: '1.2.1' })).id);
});

test('Distribution: only tagged manifest pushes, with the request host and the digest', () => {
  const d = parse(
    'distribution',
    distributionEnvelope({ repository: 'acme/api', tag: '1.2.0', digest: D }, ['1.2']),
  );
  assert.deepEqual(d.pushes, [
    { host: 'registry.example.com:5000', path: 'acme/api', tag: '1.2.0', digest: D },
    { host: 'registry.example.com:5000', path: 'acme/api', tag: '1.2', digest: D },
  ]);
  const pulls = parse('distribution', {
    events: [{ id: 'x', action: 'pull', target: { repository: 'a', tag: 't' } }],
  });
  assert.deepEqual(pulls.pushes, []);
  assert.equal(pulls.id, 'x');
});

test('Harbor: PUSH_ARTIFACT resources; a digest in the tag field is not a tag', () => {
  const d = parse('harbor', harborPush({ repository: 'library/api', tag: 'v1.0', digest: D }));
  assert.deepEqual(d.pushes, [{ host: 'harbor.example.com', path: 'library/api', tag: 'v1.0', digest: D }]);
  assert.deepEqual(parse('harbor', harborPush({ repository: 'library/api', tag: D, digest: D })).pushes, []);
  const scan = { ...harborPush({ repository: 'library/api', tag: 'v1' }), type: 'SCANNING_COMPLETED' };
  assert.deepEqual(parse('harbor', scan).pushes, []);
});

test('GHCR: package and registry_package events, the delivery header as id; untagged manifests and pings do nothing', () => {
  const h = { 'x-github-event': 'package', 'x-github-delivery': 'guid-1' };
  const d = parse('ghcr', ghcrPackage({ repository: 'Acme/API', tag: '2.0.0', digest: D }), h);
  assert.equal(d.id, 'guid-1');
  assert.deepEqual(d.pushes, [{ host: 'ghcr.io', path: 'acme/api', tag: '2.0.0', digest: D }]);
  const app = parse(
    'ghcr',
    ghcrPackage({ repository: 'acme/api', tag: '2.0.0', digest: D }, 'registry_package'),
    {
      ...h,
      'x-github-event': 'registry_package',
    },
  );
  assert.equal(app.pushes.length, 1);
  assert.deepEqual(parse('ghcr', ghcrPackage({ repository: 'acme/api', tag: '' }), h).pushes, []);
  assert.equal(parse('ghcr', { zen: 'hi', hook_id: 1 }, { ...h, 'x-github-event': 'ping' }).note, 'ping');
});

test('Quay: every updated tag, in the list form and the old map form', () => {
  const d = parse('quay', quayPush({ repository: 'acme/api', tag: '1.0.0' }, ['1.0.0', 'latest']));
  assert.deepEqual(
    d.pushes.map((p) => `${p.host}/${p.path}:${p.tag}`),
    ['quay.io/acme/api:1.0.0', 'quay.io/acme/api:latest'],
  );
  const old = { ...quayPush({ repository: 'acme/api', tag: 'x' }), updated_tags: { '1.0.1': 'abcdef' } };
  assert.deepEqual(
    parse('quay', old).pushes.map((p) => p.tag),
    ['1.0.1'],
  );
});

test('a body that is not the documented shape is a 400 naming the field', () => {
  assert.throws(
    () => parse('dockerhub', { repository: { repo_name: 'a/b' } }),
    (e: unknown) => e instanceof FerryError && e.code === 'E_BAD_REQUEST' && /push_data/.test(e.message),
  );
  assert.throws(
    () => parseRegistryDelivery('quay', { body: 'not json', headers: new Headers() }),
    (e: unknown) => e instanceof FerryError && e.code === 'E_BAD_REQUEST',
  );
});
