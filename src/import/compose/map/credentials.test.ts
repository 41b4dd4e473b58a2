import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { hasUrlPassword, isCredentialName } from './credentials.ts';
import { mapEnvironment } from './environment.ts';

test('credential names and URLs with a password', () => {
  for (const n of [
    'DB_PASSWORD',
    'POSTGRES_PASSWORD',
    'STRIPE_API_KEY',
    'AUTH_TOKEN',
    'SECRET_KEY_BASE',
    'SENTRY_DSN',
  ])
    assert.ok(isCredentialName(n), n);
  for (const n of ['DB_HOST', 'TAG', 'DOMAIN', 'LOG_LEVEL']) assert.ok(!isCredentialName(n), n);
  assert.ok(hasUrlPassword('postgres://shop:s3cretPW@db:5432/shop'));
  assert.ok(!hasUrlPassword('postgres://db:5432/shop'));
  assert.ok(!hasUrlPassword('http://example.com/a@b'));
});

test('a credential interpolated from outside the compose file is a secret reference, not a value in ferry.yaml', () => {
  const r = runMappers(
    [mapEnvironment],
    {
      environment: {
        DATABASE_URL: 'postgres://shop:s3cretPW@db:5432/shop',
        SHOP_SECRET: 'abc',
        VERSION_TAG: '1.2.3',
        LITERAL_PASSWORD: 'in-the-compose-file',
        FROM_SHELL_TOKEN: null,
      },
      env_file: 'prod.env',
    },
    {
      vars: { DB_PASS: 's3cretPW', SECRET: 'abc', TAG: '1.2.3', FROM_SHELL_TOKEN: 't0k' },
      substituted: {
        'environment.DATABASE_URL': ['DB_PASS'],
        'environment.SHOP_SECRET': ['SECRET'],
        'environment.VERSION_TAG': ['TAG'],
      },
      envFiles: new Map([['prod.env', { STRIPE_API_KEY: 'sk_live_x', REGION: 'eu' }]]),
    },
  );
  assert.deepEqual(r.m.env, { LITERAL_PASSWORD: 'in-the-compose-file', REGION: 'eu', VERSION_TAG: '1.2.3' });
  assert.deepEqual(r.m.secrets, {
    DATABASE_URL: 'secret:web-env#DATABASE_URL',
    FROM_SHELL_TOKEN: 'secret:web-env#FROM_SHELL_TOKEN',
    SHOP_SECRET: 'secret:web-env#SHOP_SECRET',
    STRIPE_API_KEY: 'secret:web-env#STRIPE_API_KEY',
  });
  assert.ok(!JSON.stringify(r.m).includes('s3cretPW'), 'the password is nowhere in the manifest');
  assert.ok(!JSON.stringify(r.m).includes('sk_live_x'));
  assert.match(r.at('environment.DATABASE_URL')?.note ?? '', /\$\{DB_PASS\}.*Secret web-env/);
  assert.match(r.at('env_file')?.note ?? '', /STRIPE_API_KEY looks like a credential/);
});
