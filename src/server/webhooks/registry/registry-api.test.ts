import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../../../errors.ts';
import { MANIFEST_ACCEPT, parseChallenge, resolveDigest } from './registry-api.ts';
import { startLocalRegistry } from './testing.ts';

const D = `sha256:${'d'.repeat(64)}`;

test('a tag resolves to its digest: HEAD with the manifest types, after the Bearer token exchange', async () => {
  const reg = await startLocalRegistry();
  try {
    reg.tags.set('acme/api:1.2.0', D);
    assert.equal(
      await resolveDigest({ url: reg.url, username: 'ci', password: 'secret' }, 'acme/api', '1.2.0'),
      D,
    );
    assert.deepEqual(
      reg.seen.map((s) => [s.method, s.path, s.authorization.split(' ')[0] ?? '']),
      [
        ['HEAD', 'acme/api:1.2.0', ''],
        ['HEAD', 'acme/api:1.2.0', 'Bearer'],
      ],
    );
    assert.equal(reg.seen[1]?.accept, MANIFEST_ACCEPT);
  } finally {
    await reg.close();
  }
});

test('wrong credentials, an unknown tag: E_REGISTRY saying which', async () => {
  const reg = await startLocalRegistry();
  try {
    reg.tags.set('acme/api:1.2.0', D);
    await assert.rejects(
      resolveDigest({ url: reg.url, username: 'ci', password: 'nope' }, 'acme/api', '1.2.0'),
      (e: unknown) => e instanceof FerryError && e.code === 'E_REGISTRY' && /token service/.test(e.message),
    );
    await assert.rejects(
      resolveDigest({ url: reg.url, username: 'ci', password: 'secret' }, 'acme/api', '9.9.9'),
      (e: unknown) => e instanceof FerryError && e.code === 'E_REGISTRY' && /does not exist/.test(e.message),
    );
  } finally {
    await reg.close();
  }
  await assert.rejects(
    resolveDigest({ url: reg.url, timeoutMs: 500 }, 'acme/api', '1.2.0'),
    (e: unknown) => e instanceof FerryError && e.code === 'E_REGISTRY',
  );
});

test('WWW-Authenticate challenges are read with quoted and bare parameters', () => {
  assert.deepEqual(
    parseChallenge(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"',
    ),
    {
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:a/b:pull',
      },
    },
  );
  assert.deepEqual(parseChallenge('Basic realm=registry'), {
    scheme: 'basic',
    params: { realm: 'registry' },
  });
});
