import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapEnvironment } from './environment.ts';
import { mapSecrets } from './secrets.ts';

test('secrets are files at /run/secrets/<target> from a Kubernetes Secret; mode kept, uid/gid dropped', () => {
  const r = runMappers(
    [mapEnvironment, mapSecrets],
    {
      environment: { DB_PASSWORD_FILE: '/run/secrets/db_password' },
      secrets: [
        'db_password',
        { source: 'api_key', target: 'stripe', mode: 440, uid: '103' },
        { source: 'tls', target: '/etc/tls/key.pem' },
        {},
      ],
    },
    {
      project: {
        secrets: {
          db_password: { external: true },
          api_key: { file: './api.txt', name: 'shop-api' },
          tls: { environment: 'TLS_KEY' },
        },
      },
    },
  );
  assert.deepEqual(r.m.files, [
    { path: '/run/secrets/db_password', secret: 'db-password', key: 'db_password' },
    { path: '/run/secrets/stripe', secret: 'shop-api', key: 'api_key', mode: '0440' },
    { path: '/etc/tls/key.pem', secret: 'tls', key: 'tls' },
  ]);
  assert.equal(r.m.secrets, undefined, 'no variable pretends to be the file');
  assert.match(r.at('secrets[0]')?.note ?? '', /external/);
  assert.match(
    r.at('secrets[1].source')?.note ?? '',
    /kubectl create secret generic shop-api --from-file=api_key=\.\/api\.txt/,
  );
  assert.equal(r.at('secrets[1].mode')?.outcome, 'mapped');
  assert.equal(r.at('secrets[1].uid')?.outcome, 'dropped');
  assert.equal(r.at('secrets[3]')?.outcome, 'dropped');
  assert.match(r.at('environment.DB_PASSWORD_FILE')?.note ?? '', /the secret file mounted at/);
});
