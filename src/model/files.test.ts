import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '../errors.ts';
import { appFromTexts } from '../manifest/memory.ts';
import { resolveWorkload } from './resolve.ts';

const PLATFORM = 'environments: { prod: {} }\n';
const resolve = (service: string) =>
  resolveWorkload(
    appFromTexts({ file: 'ferry.platform.yaml', text: PLATFORM }, [{ file: 'db/ferry.yaml', text: service }]),
    'db',
    'prod',
    '16',
  );

test('files: a Secret key (key defaults to the file name) or content; mode is octal; sorted by path', () => {
  const w = resolve(`service: db
image: postgres
stateful: true
files:
  - { path: /run/secrets/db_password, secret: db-password, mode: "0440" }
  - { path: /etc/postgresql/postgresql.conf, content: "max_connections = 50\\n" }
crons:
  - { name: vacuum, schedule: "0 3 * * *", command: vacuumdb --all, retries: 0 }
`);
  assert.equal(w.stateful, true);
  assert.deepEqual(w.files, [
    {
      path: '/etc/postgresql/postgresql.conf',
      source: { kind: 'content', content: 'max_connections = 50\n' },
      mode: 0o444,
    },
    {
      path: '/run/secrets/db_password',
      source: { kind: 'secret', name: 'db-password', key: 'db_password' },
      mode: 0o440,
    },
  ]);
  assert.equal(w.crons[0]?.retries, 0);
});

test('files: both or neither of secret and content, a key without a secret, a path used twice — located', () => {
  let err: unknown;
  try {
    resolve(`service: db
image: postgres
files:
  - { path: /a, secret: s, content: x }
  - { path: /b }
  - { path: /c, content: x, key: k }
  - { path: /c, content: y }
`);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof InvalidInputError);
  const issues = err.issues.map((i) => `${i.path} ${i.loc?.line ?? '?'}: ${i.message}`);
  assert.deepEqual(issues, [
    'files[0] 4: give one of secret, configMap and content',
    'files[1] 5: say where the file comes from: secret (a Kubernetes Secret), configMap or content',
    'files[2].key 6: key names a key of a Secret or ConfigMap: give secret or configMap too',
    'files[3].path 7: /c is mounted twice',
  ]);
});
