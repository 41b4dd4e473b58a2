import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapEnv } from './env.ts';

test('env values are strings; {secret} values read a Kubernetes Secret named after the source', () => {
  const r = runMappers([mapEnv], {
    env: { LOG: 'info', WORKERS: 4, DB_PASSWORD: { secret: 'db' }, 'bad-name!': 'x' },
    secrets: { db: { source: '/anna/hcn/db' } },
  });
  assert.deepEqual(r.m.env, { LOG: 'info', WORKERS: '4' });
  assert.deepEqual(r.m.secrets, { DB_PASSWORD: 'secret:anna-hcn-db#value' });
  assert.equal(r.at('env.DB_PASSWORD')?.outcome, 'approximated');
  assert.equal(r.at('secrets.db')?.outcome, 'mapped');
  assert.equal(r.at('env["bad-name!"]')?.outcome, 'dropped');
});
