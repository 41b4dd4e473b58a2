import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../../../errors.ts';
import { githubSignature } from '../signature.ts';
import { authenticateHook } from './hook-auth.ts';

const env = {
  FERRY_REGISTRY_WEBHOOK_TOKEN: 'tok-1',
  FERRY_HARBOR_WEBHOOK_TOKEN: 'harbor-1',
  FERRY_GHCR_WEBHOOK_SECRET: 's3',
};
const refused = (f: () => void) =>
  assert.throws(f, (e: unknown) => e instanceof FerryError && e.code === 'E_UNAUTHENTICATED');
const req = (url: string, headers: Record<string, string> = {}, body = '{}') => ({
  url,
  headers: new Headers(headers),
  body,
});

test('a token in the URL or the Authorization header; the per-hook token wins', () => {
  authenticateHook('dockerhub', env, req('http://h/webhooks/registry/dockerhub?token=tok-1'));
  authenticateHook('distribution', env, req('http://h/x', { authorization: 'Bearer tok-1' }));
  authenticateHook('harbor', env, req('http://h/x', { authorization: 'harbor-1' }));
  refused(() => authenticateHook('harbor', env, req('http://h/x', { authorization: 'Bearer tok-1' })));
  refused(() => authenticateHook('quay', env, req('http://h/x?token=tok-2')));
  refused(() => authenticateHook('quay', env, req('http://h/x')));
});

test('GHCR: the GitHub signature over the exact body', () => {
  const body = '{"action":"published"}';
  authenticateHook(
    'ghcr',
    env,
    req('http://h/x', { 'x-hub-signature-256': githubSignature('s3', body) }, body),
  );
  refused(() =>
    authenticateHook(
      'ghcr',
      env,
      req('http://h/x', { 'x-hub-signature-256': githubSignature('s3', body) }, `${body} `),
    ),
  );
  refused(() => authenticateHook('ghcr', env, req('http://h/x?token=s3', {}, body)));
});

test('a hook with nothing configured takes nothing', () => {
  refused(() => authenticateHook('dockerhub', {}, req('http://h/x?token=')));
});
