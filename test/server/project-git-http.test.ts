// A git project over the network: git's own http backend behind a loopback HTTP server that
// demands Basic auth. The credentials work, and they never reach git's argv, the cache on disk
// or an error message.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  projectConfigSchema,
  resolveProjectConfig,
  type GitProject,
} from '../../src/server/project/config.ts';
import { GitSource } from '../../src/server/project/git-source.ts';
import { gitRunner } from '../../src/server/project/git.ts';
import { openProject } from '../../src/server/project/open.ts';
import {
  cleanup,
  makeRepo,
  rejection,
  scratch,
  serviceYaml,
  type TestRepo,
} from '../../src/server/project/testing.ts';
import { gitHttpServer, type GitHttpServer } from '../kit/git-http.ts';

const TOKEN = 'fry-test-TOKEN-4f9a2c';
const PASSWORD = 'hunter2-PASSWORD-77d1';
const made: string[] = [];
let server: GitHttpServer;
let repo: TestRepo;
let url: string;
let c1: string;
let c2: string;
/** a git that writes its argv to a file, then runs the real git */
let wrapper: string;
let argvLog: string;

before(async () => {
  const root = scratch('ferry-githttp-', made);
  repo = makeRepo(join(root, 'app'));
  c1 = repo.commit({
    'ferry.platform.yaml': "services: ['services/*']\nenvironments:\n  test: {}\n",
    'services/api/ferry.yaml': serviceYaml('api', 1),
  });
  repo.git('tag', 'v1');
  c2 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 2) });
  server = await gitHttpServer(root, { 'x-access-token': TOKEN, ci: PASSWORD });
  url = `${server.url}/app`;
  const bin = scratch('ferry-gitbin-', made);
  argvLog = join(bin, 'argv.log');
  wrapper = join(bin, 'git');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${argvLog}'\nexec git "$@"\n`);
  chmodSync(wrapper, 0o755);
});
after(async () => {
  await server.close();
  cleanup(made);
});

function gitProject(credentials: GitProject['credentials']): GitProject {
  return { url, branch: 'main', path: '', credentials, fetchInterval: 30 };
}

/** Every file under `dir`, as text. */
function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = join(dir, name);
    if (statSync(file).isFile()) out += readFileSync(file).toString('latin1');
  }
  return out;
}

const forms = (secret: string, user: string): string[] => [
  secret,
  Buffer.from(`${user}:${secret}`).toString('base64'),
  Buffer.from(secret).toString('base64'),
];

test('a token from ${VAR} fetches over http; it is in no argv, no cache file, and the header reached the server', async () => {
  const cacheDir = scratch('ferry-cache-', made);
  const config = projectConfigSchema.parse({
    git: { url, branch: 'main', credentials: { token: '${FERRY_TEST_GIT_TOKEN}' } },
  });
  const env = { ...process.env, FERRY_TEST_GIT_TOKEN: TOKEN };
  const src = openProject(config, { cacheDir, env, git: wrapper });
  const tip = await src.load();
  assert.equal(tip.commit, c2);
  assert.equal(tip.app.services[0]?.manifest.instances, 2);
  assert.equal((await src.load('v1')).commit, c1);
  assert.equal((await src.load(c1.slice(0, 7))).commit, c1);
  assert.ok(!src.describe().includes(TOKEN));

  const authorized = server.requests.filter((r) => r.authorization !== undefined && r.status === 200);
  assert.ok(authorized.length >= 2, JSON.stringify(server.requests));
  for (const r of authorized) {
    assert.equal(r.authorization, `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
  }
  const argv = readFileSync(argvLog, 'utf8');
  assert.match(argv, /fetch --prune/, 'the wrapper saw the fetch');
  for (const f of forms(TOKEN, 'x-access-token')) {
    assert.ok(!argv.includes(f), 'no secret in any argv');
    assert.ok(!allText(cacheDir).includes(f), 'no secret in any file of the cache');
  }
  // the one place it is: git's environment, as a header scoped to this repository's URL
  const git = gitRunner({ auth: { url, username: 'x-access-token', password: TOKEN } }).environment();
  const keys = Object.keys(git).filter((k) =>
    git[k]!.includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')),
  );
  assert.deepEqual(
    keys.map((k) => git[k.replace('VALUE', 'KEY')]),
    [`http.${url}.extraHeader`],
  );
});

test('username and password work; a new commit is seen after a fetch', async () => {
  const cacheDir = scratch('ferry-cache-', made);
  const src = new GitSource(gitProject({ username: 'ci', password: PASSWORD }), { cacheDir, git: wrapper });
  assert.equal((await src.load()).commit, c2);
  const c3 = repo.commit({ 'services/api/ferry.yaml': serviceYaml('api', 3) });
  const at = await src.load(c3);
  assert.equal(at.app.services[0]?.manifest.instances, 3);
  for (const f of forms(PASSWORD, 'ci')) {
    assert.ok(!readFileSync(argvLog, 'utf8').includes(f));
    assert.ok(!allText(cacheDir).includes(f));
  }
});

test('no credentials, or wrong ones: unavailable, and the message holds no secret', async () => {
  const none = await rejection(
    new GitSource(gitProject(undefined), { cacheDir: scratch('ferry-cache-', made) }).load(),
  );
  assert.equal(none.code, 'E_PROJECT_AUTH');
  assert.equal(none.kind, 'unavailable');
  assert.ok(none.message.includes(url), none.message);

  const wrong = 'wrong-SECRET-91b3';
  const bad = await rejection(
    new GitSource(gitProject({ username: 'ci', password: wrong }), {
      cacheDir: scratch('ferry-cache-', made),
    }).load(),
  );
  assert.equal(bad.code, 'E_PROJECT_AUTH');
  assert.equal(bad.kind, 'unavailable');
  const shown = `${bad.message} ${bad.hint ?? ''} ${String((bad.cause as Error | undefined)?.message)}`;
  for (const f of forms(wrong, 'ci')) assert.ok(!shown.includes(f), shown);
  assert.ok(server.requests.some((r) => r.status === 401 && r.authorization !== undefined));
});

test('the URL as configured may not carry credentials: they would land in git argv and config', () => {
  const raw = { git: { url: url.replace('http://', `http://ci:${PASSWORD}@`), branch: 'main' } };
  assert.equal(projectConfigSchema.safeParse(raw).success, false);
  assert.throws(() =>
    resolveProjectConfig(projectConfigSchema.parse({ git: { url: '${U}', branch: 'main' } }), {
      U: raw.git.url,
    }),
  );
});
