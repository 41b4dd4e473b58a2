// A git project over a file:// remote: real repositories made by the test, real git.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidInputError } from '../../errors.ts';
import type { GitProject } from './config.ts';
import { GitSource } from './git-source.ts';
import { cleanup, makeRepo, rejection, scratch, serviceYaml, type TestRepo } from './testing.ts';

const made: string[] = [];
after(() => cleanup(made));

const PLATFORM = "services: ['services/*']\nenvironments:\n  test: {}\n";

function project(repo: TestRepo, extra: Partial<GitProject> = {}): GitProject {
  return { url: repo.url, branch: 'main', path: '', credentials: undefined, fetchInterval: 30, ...extra };
}

function instancesOf(loaded: {
  app: { services: readonly { name: string; manifest: { instances?: number } }[] };
}) {
  return Object.fromEntries(loaded.app.services.map((s) => [s.name, s.manifest.instances]));
}

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance(seconds: number): void } {
  let t = Date.now();
  return { now: () => t, advance: (s) => (t += s * 1000) };
}

function repoWithHistory(): { repo: TestRepo; c1: string; c2: string } {
  const repo = makeRepo(join(scratch('ferry-gitsrc-', made), 'app'));
  const c1 = repo.commit({
    'ferry.platform.yaml': PLATFORM,
    'services/api/ferry.yaml': serviceYaml('api', 1),
  });
  repo.git('tag', 'v1');
  repo.git('tag', '-a', 'v1-annotated', '-m', 'first');
  const c2 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 2) });
  return { repo, c1, c2 };
}

test('reads the ferry files at the branch, at a full and an abbreviated sha, at a tag', async () => {
  const { repo, c1, c2 } = repoWithHistory();
  const src = new GitSource(project(repo), { cacheDir: scratch('ferry-cache-', made) });
  const tip = await src.load();
  assert.equal(tip.commit, c2);
  assert.equal(tip.ref, 'main');
  assert.deepEqual(instancesOf(tip), { api: 2 });
  for (const ref of [c1, c1.slice(0, 8), 'v1', 'v1-annotated']) {
    const at = await src.load(ref);
    assert.equal(at.commit, c1, ref);
    assert.equal(at.ref, ref);
    assert.deepEqual(instancesOf(at), { api: 1 }, ref);
    assert.equal(at.app.services[0]?.text, serviceYaml('api', 1));
  }
  assert.equal((await src.load('main')).commit, c2);
  assert.match(src.describe(), /^git file:\/\/.* branch main$/);
});

test('a new commit is seen after the fetch interval; a sha not yet fetched is fetched at once', async () => {
  const { repo, c2 } = repoWithHistory();
  const time = clock();
  const src = new GitSource(project(repo), { cacheDir: scratch('ferry-cache-', made), now: time.now });
  assert.equal((await src.load()).commit, c2);
  const c3 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 3) });
  const fetches = src.mirror.fetches;
  // within the interval: the branch is not fetched again
  assert.equal((await src.load()).commit, c2);
  assert.equal(src.mirror.fetches, fetches);
  // the new commit named by its sha: one fetch, then its files
  const byId = await src.load(c3);
  assert.deepEqual(instancesOf(byId), { api: 3 });
  assert.equal(src.mirror.fetches, fetches + 1);
  // a commit the mirror has needs no fetch, however old the last one is
  time.advance(3600);
  await src.load(c2);
  assert.equal(src.mirror.fetches, fetches + 1);
  const c4 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 4) });
  assert.equal((await src.load()).commit, c4, 'past the interval, the branch is fetched');
  assert.equal(src.mirror.fetches, fetches + 2);
});

test('an unknown ref is not-found naming the ref and the repository; a malformed one is refused', async () => {
  const { repo } = repoWithHistory();
  const src = new GitSource(project(repo), { cacheDir: scratch('ferry-cache-', made) });
  for (const ref of ['no-such-branch', 'deadbeef', 'f'.repeat(40)]) {
    const err = await rejection(src.load(ref));
    assert.equal(err.kind, 'not-found', ref);
    assert.equal(err.code, 'E_PROJECT_REF');
    assert.ok(err.message.includes(ref) && err.message.includes(repo.url), err.message);
  }
  for (const ref of ['main~1', '-x', 'main@{1}', 'a..b', 'HEAD^', '.hidden', 'x.lock']) {
    const err = await rejection(src.load(ref));
    assert.equal(err.code, 'E_PROJECT_REF_INVALID', ref);
    assert.equal(err.kind, 'invalid');
  }
  const gone = new GitSource(project(repo, { branch: 'gone' }), { cacheDir: scratch('ferry-cache-', made) });
  const err = await rejection(gone.load());
  assert.equal(err.code, 'E_PROJECT_REF');
  assert.match(err.message, /"gone"/);
});

test('a manifest error at one commit is located in its file, relative to the repository root', async () => {
  const repo = makeRepo(join(scratch('ferry-gitsrc-', made), 'mono'));
  const platform = "services: ['apps/*']\nenvironments:\n  test: {}\n";
  const good = repo.commit({
    'deploy/ferry.platform.yaml': platform,
    'deploy/apps/web/ferry.yaml': serviceYaml('web', 1),
    'README.md': 'outside the project folder\n',
  });
  const bad = repo.commit({ 'deploy/apps/web/ferry.yaml': serviceYaml('web', '"two"') });
  const src = new GitSource(project(repo, { path: 'deploy' }), { cacheDir: scratch('ferry-cache-', made) });
  const err = await rejection(src.load(bad));
  assert.ok(err instanceof InvalidInputError, String(err));
  const issue = err.issues.find((i) => i.path === 'instances');
  assert.ok(issue, JSON.stringify(err.issues));
  assert.deepEqual(issue.loc, { file: 'deploy/apps/web/ferry.yaml', line: 4, col: 12 });
  // the good commit still loads, and its locate() answers repository-relative files too
  const ok = await src.load(good);
  assert.deepEqual(instancesOf(ok), { web: 1 });
  assert.equal(ok.app.services[0]?.locate(['instances'])?.file, 'deploy/apps/web/ferry.yaml');
  assert.equal(ok.app.platform.locate(['services'])?.file, 'deploy/ferry.platform.yaml');
  // only the project's folder is written out
  const root = dirname2(ok.app.platform.file!);
  assert.ok(!existsSync(join(root, 'README.md')), 'files outside the project folder are not written');
  // a service folder below it finds the platform file in deploy/
  const deeper = new GitSource(project(repo, { path: 'deploy/apps/web' }), {
    cacheDir: scratch('ferry-cache-', made),
  });
  const fromService = await deeper.load(good);
  assert.equal(fromService.app.platform.locate(['services'])?.file, 'deploy/ferry.platform.yaml');
});

test('a symlink in the repository is written as a file holding its target, never followed', async () => {
  const repo = makeRepo(join(scratch('ferry-gitsrc-', made), 'links'));
  repo.commit({ 'ferry.platform.yaml': PLATFORM, 'services/api/ferry.yaml': serviceYaml('api', 1) });
  const outside = join(scratch('ferry-outside-', made), 'ferry.yaml');
  writeFileSync(outside, serviceYaml('stolen', 1));
  rmSync(join(repo.dir, 'services/api/ferry.yaml'));
  symlinkSync(outside, join(repo.dir, 'services/api/ferry.yaml'));
  repo.git('add', 'services/api/ferry.yaml');
  const linked = repo.commit({});
  const src = new GitSource(project(repo), { cacheDir: scratch('ferry-cache-', made) });
  const err = await rejection(src.load(linked));
  assert.ok(err instanceof InvalidInputError);
  assert.ok(!JSON.stringify(err.issues).includes('stolen'), JSON.stringify(err.issues));
});

/** The checkout root of a platform file at deploy/ferry.platform.yaml. */
function dirname2(file: string): string {
  return join(file, '..', '..');
}

test('a service folder as the path finds the platform file above it; a missing path is not-found', async () => {
  const { repo, c2 } = repoWithHistory();
  const src = new GitSource(project(repo, { path: 'services/api' }), {
    cacheDir: scratch('ferry-cache-', made),
  });
  const got = await src.load();
  assert.equal(got.commit, c2);
  assert.equal(got.app.platform.locate(['services'])?.file, 'ferry.platform.yaml');
  const missing = new GitSource(project(repo, { path: 'services/nope' }), {
    cacheDir: scratch('ferry-cache-', made),
  });
  const err = await rejection(missing.load());
  assert.equal(err.kind, 'not-found');
  assert.match(err.message, /services\/nope does not exist at commit [0-9a-f]{12} of file:/);
});

test('concurrent loads of one new commit share one fetch, one folder and one loaded app', async () => {
  const { repo } = repoWithHistory();
  const cacheDir = scratch('ferry-cache-', made);
  const src = new GitSource(project(repo), { cacheDir });
  await src.load();
  const c3 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 3) });
  const before = src.mirror.fetches;
  const all = await Promise.all(Array.from({ length: 8 }, () => src.load(c3)));
  assert.equal(src.mirror.fetches, before + 1);
  assert.ok(all.every((l) => l.commit === c3 && l.app === all[0]!.app));
  const trees = readdirSync(join(cacheDir, 'trees', readdirSync(join(cacheDir, 'trees'))[0]!));
  assert.equal(trees.filter((t) => t.startsWith(c3)).length, 1);
  assert.ok(!trees.some((t) => t.startsWith('.')), `no half-written folder left: ${trees.join(', ')}`);
  // concurrent loads of the branch tip past the interval share one fetch too
  const fresh = new GitSource(project(repo, { fetchInterval: 0 }), {
    cacheDir: scratch('ferry-cache-', made),
  });
  await Promise.all(Array.from({ length: 6 }, () => fresh.load()));
  assert.equal(fresh.mirror.fetches, 1);
});

test('the cache survives a restart: a known commit loads with the remote gone; old folders are removed', async () => {
  const { repo, c1, c2 } = repoWithHistory();
  const cacheDir = scratch('ferry-cache-', made);
  const first = new GitSource(project(repo), { cacheDir, keep: 2 });
  await first.load(c1);
  await first.load(c2);
  const c3 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 3) });
  await first.load(c3);
  const [key] = readdirSync(join(cacheDir, 'trees'));
  const kept = readdirSync(join(cacheDir, 'trees', key!)).sort();
  assert.equal(kept.length, 2, kept.join(', '));
  assert.ok(kept.includes(c3));
  renameSync(repo.dir, `${repo.dir}-moved`);
  made.push(`${repo.dir}-moved`);
  const second = new GitSource(project(repo), { cacheDir });
  assert.deepEqual(instancesOf(await second.load(c1)), { api: 1 });
  assert.equal(second.mirror.fetches, 0);
  // the branch tip within the interval (counted from the mirror's last fetch) needs no remote either
  assert.equal((await second.load()).commit, c3);
  const err = await rejection(second.load('no-such-ref'));
  assert.equal(err.code, 'E_PROJECT_FETCH');
  assert.equal(err.kind, 'unavailable');
});

test('an unreachable remote is unavailable', async () => {
  const src = new GitSource(
    {
      url: 'file:///nonexistent/ferry/repo.git',
      branch: 'main',
      path: '',
      credentials: undefined,
      fetchInterval: 30,
    },
    { cacheDir: scratch('ferry-cache-', made) },
  );
  const err = await rejection(src.load());
  assert.equal(err.code, 'E_PROJECT_FETCH');
  assert.equal(err.kind, 'unavailable');
  assert.match(err.message, /cannot fetch file:\/\/\/nonexistent\/ferry\/repo\.git/);
});
