import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidInputError } from '../errors.ts';
import { findCycle } from './after.ts';
import { loadApp } from './load.ts';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(services: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferry-after-'));
  roots.push(root);
  const files: Record<string, string> = {
    'ferry.platform.yaml': "services: ['services/*']\nenvironments:\n  test: {}\n",
  };
  for (const [name, extra] of Object.entries(services))
    files[`services/${name}/ferry.yaml`] = `service: ${name}\nimage: r/${name}\n${extra}`;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function refusal(root: string): Promise<InvalidInputError> {
  const err = await loadApp(root).then(
    () => assert.fail('expected the project to be refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InvalidInputError, String(err));
  return err;
}

test('after: known names load, and the list is kept on the manifest', async () => {
  const app = await loadApp(
    project({ schema: '', api: 'after: [schema]\n', web: 'after:\n  - api\n  - schema\n' }),
  );
  const web = app.services.find((s) => s.name === 'web');
  assert.deepEqual(web?.manifest.after, ['api', 'schema']);
});

test('after: an unknown name is located at file:line:col with did-you-mean', async () => {
  const root = project({ 'schema-owner': '', api: 'port: 80\nafter: [schema-ownr]\n' });
  const err = await refusal(root);
  assert.equal(err.issues.length, 1);
  const [i] = err.issues;
  assert.equal(i?.path, 'after[0]');
  assert.match(i?.message ?? '', /"schema-ownr".*does not have/);
  assert.equal(i?.hint, 'did you mean "schema-owner"?');
  assert.equal(i?.loc?.file, join(root, 'services/api/ferry.yaml'));
  assert.equal(i?.loc?.line, 4);
  assert.equal(i?.loc?.col, 9);
});

test('after: a cycle is refused, naming the cycle', async () => {
  const err = await refusal(project({ a: 'after: [c]\n', b: 'after: [a]\n', c: 'after: [b]\n', d: '' }));
  assert.equal(err.issues.length, 1);
  assert.match(err.issues[0]?.message ?? '', /cycle: a → c → b → a/);
  assert.equal(err.issues[0]?.path, 'after');
  assert.equal(err.issues[0]?.loc?.line, 3);
});

test('after: a service after itself is refused', async () => {
  const err = await refusal(project({ a: 'after: [a]\n' }));
  assert.match(err.issues[0]?.message ?? '', /cannot deploy after itself/);
});

test('findCycle: none in a diamond, the closing path otherwise', () => {
  const diamond = new Map([
    ['d', ['b', 'c']],
    ['b', ['a']],
    ['c', ['a']],
    ['a', []],
  ]);
  assert.equal(findCycle(diamond), undefined);
  assert.deepEqual(
    findCycle(
      new Map([
        [1, [2]],
        [2, [3]],
        [3, [2]],
      ]),
    ),
    [2, 3, 2],
  );
});
