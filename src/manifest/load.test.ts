import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { FerryError, InvalidInputError } from '../errors.ts';
import { loadApp } from './load.ts';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferry-load-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const svc = (name: string, extra = ''): string => `service: ${name}\nimage: r/${name}\n${extra}`;
const PLATFORM = "services: ['services/*']\nenvironments:\n  test: {}\n  prod: {}\n";

async function issues(from: string): Promise<InvalidInputError> {
  try {
    await loadApp(from);
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  assert.fail('expected InvalidInputError');
}

test('monorepo: globs, sorted by name, found from a service folder by walking up', async () => {
  const root = tree({
    'ferry.platform.yaml': PLATFORM,
    'services/zeta/ferry.yaml': svc('zeta'),
    'services/alpha/ferry.yaml': svc('alpha'),
    'services/not-a-service/README.md': 'x',
  });
  const app = await loadApp(root);
  assert.equal(app.platform.file, join(root, 'ferry.platform.yaml'));
  assert.deepEqual(
    app.services.map((s) => s.name),
    ['alpha', 'zeta'],
  );
  assert.equal(app.services[0]?.file, join(root, 'services/alpha/ferry.yaml'));
  const fromInside = await loadApp(join(root, 'services/zeta'));
  assert.deepEqual(
    fromInside.services.map((s) => s.name),
    ['alpha', 'zeta'],
  );
  const fromFile = await loadApp(join(root, 'services/zeta/ferry.yaml'));
  assert.equal(fromFile.services.length, 2);
});

test('** globs and explicit folders', async () => {
  const root = tree({
    'ferry.platform.yaml': "services: ['apps/**', 'tools/cli']\nenvironments: { test: {} }\n",
    'apps/a/ferry.yaml': svc('a'),
    'apps/group/b/ferry.yaml': svc('b'),
    'tools/cli/ferry.yaml': svc('cli'),
  });
  const app = await loadApp(root);
  assert.deepEqual(
    app.services.map((s) => s.name),
    ['a', 'b', 'cli'],
  );
});

test('a lone ferry.yaml works with platform defaults', async () => {
  const one = tree({ 'ferry.yaml': svc('web', 'environments:\n  stage: {}\n  live: null\n') });
  const app = await loadApp(one);
  assert.equal(app.platform.file, undefined);
  assert.deepEqual(Object.keys(app.platform.manifest.environments), ['stage', 'live']);
  const bare = tree({ 'ferry.yaml': svc('web') });
  assert.deepEqual(Object.keys((await loadApp(bare)).platform.manifest.environments), ['default']);
});

test('an empty environments map is refused: the service would run nowhere', async () => {
  const root = tree({
    'ferry.platform.yaml': PLATFORM,
    'services/a/ferry.yaml': svc('a', 'environments: {}\n'),
  });
  const err = await issues(root);
  assert.match(err.issues[0]?.message ?? '', /runs nowhere/);
  assert.equal(err.issues[0]?.loc?.line, 3);
  const lone = tree({ 'ferry.yaml': svc('a', 'environments: {}\n') });
  assert.match((await issues(lone)).issues[0]?.message ?? '', /runs nowhere/);
});

test('duplicate service names name both files', async () => {
  const root = tree({
    'ferry.platform.yaml': PLATFORM,
    'services/a/ferry.yaml': svc('same'),
    'services/b/ferry.yaml': svc('same'),
  });
  const err = await issues(root);
  assert.equal(err.issues.length, 1);
  assert.match(
    err.issues[0]?.message ?? '',
    /service name "same" is also used by .*services\/a\/ferry\.yaml/,
  );
  assert.equal(err.issues[0]?.loc?.file, join(root, 'services/b/ferry.yaml'));
});

test('cross-file checks: unknown environment and previews.from, with did-you-mean', async () => {
  const root = tree({
    'ferry.platform.yaml': PLATFORM + 'previews: { from: tset }\n',
    'services/a/ferry.yaml': svc('a', 'environments:\n  prdo: { instances: 2 }\n'),
  });
  const err = await issues(root);
  const [preview, env] = err.issues;
  assert.match(preview?.message ?? '', /previews.from names environment "tset"/);
  assert.equal(preview?.hint, 'did you mean "test"?');
  assert.deepEqual(preview?.loc, { file: join(root, 'ferry.platform.yaml'), line: 5, col: 19 });
  assert.match(env?.message ?? '', /environment "prdo" is not defined/);
  assert.equal(env?.hint, 'did you mean "prod"?');
  assert.deepEqual(env?.loc, { file: join(root, 'services/a/ferry.yaml'), line: 4, col: 3 });
});

test('every file is reported at once; a glob that matches nothing is located', async () => {
  const root = tree({
    'ferry.platform.yaml': "services: ['services/*', 'missing/*']\nenvironments: { test: {} }\n",
    'services/a/ferry.yaml': 'service: a\nimage: x\nport: nope\n',
    'services/b/ferry.yaml': 'service: b\nimgae: x\n',
  });
  const err = await issues(root);
  const files = new Set(err.issues.map((i) => i.loc?.file));
  assert.ok(files.has(join(root, 'ferry.platform.yaml')));
  assert.ok(files.has(join(root, 'services/a/ferry.yaml')));
  assert.ok(files.has(join(root, 'services/b/ferry.yaml')));
  assert.ok(err.issues.some((i) => i.hint === 'did you mean "image"?'));
});

test("an invalid platform file does not hide the services' own problems", async () => {
  const root = tree({
    'ferry.platform.yaml': "services: ['services/*']\nenvironments: { test: {} }\npolicy: { cpuRatio: 1 }\n",
    'services/a/ferry.yaml': 'service: a\nimgae: x\n',
  });
  const err = await issues(root);
  assert.deepEqual(
    err.issues.map((i) => i.path),
    ['policy.cpuRatio', 'image', 'imgae'],
  );
});

test('nothing to load: exit 2 with a hint', async () => {
  const empty = tree({ 'README.md': 'x' });
  await assert.rejects(loadApp(empty), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'E_NO_MANIFEST');
    assert.equal(err.kind, 'not-found');
    return true;
  });
  await assert.rejects(
    loadApp(join(empty, 'nope')),
    (err: unknown) => err instanceof FerryError && err.kind === 'not-found',
  );
});
