import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapSecrets } from './secrets.ts';

test('secrets: each names its Kubernetes Secret and key; the origin is in the report', () => {
  const r = runMappers(
    [mapSecrets],
    { secrets: ['db_password', { source: 'api_key', target: 'stripe' }, {}] },
    {
      project: {
        secrets: { db_password: { external: true }, api_key: { file: './api.txt', name: 'shop-api' } },
      },
    },
  );
  assert.deepEqual(r.m.secrets, {
    DB_PASSWORD: 'secret:db-password#db_password',
    STRIPE: 'secret:shop-api#api_key',
  });
  assert.match(r.at('secrets[0]')?.note ?? '', /external/);
  assert.match(r.at('secrets[1]')?.note ?? '', /the file \.\/api\.txt/);
  assert.equal(r.at('secrets[2]')?.outcome, 'dropped');
});
