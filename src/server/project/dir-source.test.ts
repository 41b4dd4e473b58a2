import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FerryError, InvalidInputError } from '../../errors.ts';
import { DirSource } from './dir-source.ts';
import { cleanup, makeRepo, scratch, serviceYaml } from './testing.ts';

const made: string[] = [];
after(() => cleanup(made));

test('a plain folder loads as it is, with no commit', async () => {
  const dir = scratch('ferry-dir-', made);
  writeFileSync(join(dir, 'ferry.yaml'), serviceYaml('api', 2));
  const src = new DirSource(dir);
  const got = await src.load();
  assert.equal(got.commit, undefined);
  assert.equal(got.ref, 'working-tree');
  assert.equal(got.app.services[0]?.manifest.instances, 2);
  assert.equal(src.describe(), `folder ${dir}`);
  const err = await src.load('main').catch((e: unknown) => e);
  assert.ok(err instanceof FerryError && err.code === 'E_PROJECT_LOCAL_REF', String(err));
  assert.match(err.message, /not a git work tree/);
});

test('a git work tree reports its commit and branch, loads uncommitted changes, refuses another commit', async () => {
  const repo = makeRepo(join(scratch('ferry-dir-', made), 'w'));
  const c1 = repo.commit({ 'ferry.yaml': serviceYaml('api', 1) });
  const c2 = repo.commit({ 'ferry.yaml': serviceYaml('api', 2) });
  writeFileSync(join(repo.dir, 'ferry.yaml'), serviceYaml('api', 5));
  const src = new DirSource(repo.dir);
  const got = await src.load();
  assert.deepEqual([got.commit, got.ref, got.app.services[0]?.manifest.instances], [c2, 'main', 5]);
  assert.equal((await src.load(c2.slice(0, 10))).commit, c2, 'the checked-out commit may be named');
  assert.equal((await src.load('main')).commit, c2);
  const err = await src.load(c1).catch((e: unknown) => e);
  assert.ok(err instanceof FerryError && err.code === 'E_PROJECT_LOCAL_REF', String(err));
  assert.equal(err.kind, 'invalid');
  assert.ok(err.message.includes(c2.slice(0, 12)) && err.message.includes(c1.slice(0, 12)), err.message);
  repo.git('checkout', '--quiet', '--force', '--detach', c1);
  assert.deepEqual([(await src.load()).ref, (await src.load()).commit], ['HEAD', c1]);
});

test('manifest problems are located relative to the folder', async () => {
  const dir = scratch('ferry-dir-', made);
  mkdirSync(join(dir, 'services/api'), { recursive: true });
  writeFileSync(join(dir, 'ferry.platform.yaml'), "services: ['services/*']\nenvironments: { test: {} }\n");
  writeFileSync(join(dir, 'services/api/ferry.yaml'), serviceYaml('api', '-1'));
  const err = await new DirSource(dir).load().catch((e: unknown) => e);
  assert.ok(err instanceof InvalidInputError, String(err));
  assert.deepEqual(
    err.issues.map((i) => i.loc?.file),
    ['services/api/ferry.yaml'],
  );
});

test('with reuseMs a load is answered again within that time, then the folder is read afresh', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-dir-reuse-'));
  try {
    writeFileSync(join(dir, 'ferry.platform.yaml'), "services: ['*']\nenvironments:\n  test: {}\n");
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'ferry.yaml'), 'service: a\nimage: r/a\n');
    // the clock is the test's: a loaded machine must not make "within reuseMs" late
    let clock = 1_000_000;
    const src = new DirSource(dir, { reuseMs: 300, now: () => clock });
    const first = await src.load();
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'ferry.yaml'), 'service: b\nimage: r/b\n');
    clock += 299;
    assert.equal(await src.load(), first, 'the same load, within reuseMs');
    clock += 51;
    assert.deepEqual(
      (await src.load()).app.services.map((s) => s.name).sort(),
      ['a', 'b'],
      'read afresh after it',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
