// End to end: the CLI as a process — exit codes, located messages on stderr, JSON on stdout.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ferry, repoRoot as root, tempDir } from './testing.ts';

const dir = (files: Record<string, string> = {}): string => tempDir('ferry-cli-', files);

test('validate: the bundled examples are valid', async () => {
  const r = await ferry('validate', 'examples/anna', 'examples/changelog', 'examples/preply');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ok: 3 services, 2 environments \(examples\/anna\)/);
  assert.match(r.stdout, /ok: 1 service, 2 environments \(examples\/changelog\)/);
});

test('validate -C -o json: one JSON document', async () => {
  const r = await ferry('-C', 'examples/anna', 'validate', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { ok: boolean; apps: { services: string[]; environments: string[] }[] };
  assert.equal(doc.ok, true);
  assert.deepEqual(doc.apps[0]?.services, ['account', 'document', 'hcn']);
  assert.deepEqual(doc.apps[0]?.environments, ['test', 'prod']);
});

const BROKEN = {
  'ferry.platform.yaml': "services: ['svc']\nenvironments:\n  test: {}\n  prod: {}\n",
  'svc/ferry.yaml':
    'service: web\nimage: r/web\ninstnces: 2\ncrons:\n  - { name: a, schedule: "R//PT90M", command: x }\nenvironments:\n  prdo: {}\n',
};

test('validate: every problem at once, located, exit 2, no stack trace', async () => {
  const d = dir(BROKEN);
  const r = await ferry('validate', d);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  const f = join(d, 'svc/ferry.yaml');
  assert.match(
    r.stderr,
    new RegExp(`${f}:3:1: instnces: unknown key "instnces" \\(did you mean "instances"\\?\\)`),
  );
  assert.match(r.stderr, new RegExp(`${f}:7:3: environments.prdo: environment "prdo" is not defined`));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  // fix the schema problems: the schedule problem surfaces, located at the schedule
  writeFileSync(f, BROKEN['svc/ferry.yaml'].replace('instnces', 'instances').replace('prdo', 'prod'));
  const again = await ferry('validate', d);
  assert.equal(again.code, 2);
  assert.match(again.stderr, new RegExp(`${f}:5:26: crons\\[0\\].schedule: PT90M does not divide a day`));
});

test('validate -o json on invalid input: {"error": {code, message, issues}} on stdout', async () => {
  const d = dir(BROKEN);
  const r = await ferry('validate', d, '-o', 'json');
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.stdout) as {
    error: { code: string; issues: { path: string; line: number; col: number; hint?: string }[] };
  };
  assert.equal(doc.error.code, 'E_INVALID_INPUT');
  const typo = doc.error.issues.find((i) => i.path === 'instnces');
  assert.deepEqual([typo?.line, typo?.col, typo?.hint], [3, 1, 'did you mean "instances"?']);
});

test('usage errors exit 2; help exits 0', async () => {
  assert.equal((await ferry('bogus')).code, 2);
  assert.equal((await ferry('validate', '--bogus')).code, 2);
  const json = await ferry('-o', 'json', 'validate', '--bogus');
  assert.equal(json.code, 2);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'E_USAGE');
  const help = await ferry('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /validate/);
  const none = await ferry('validate', dir());
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no ferry.yaml or ferry.platform.yaml .*ferry init/);
});

test('init writes files that validate, with the schema line first; refuses to overwrite', async () => {
  const d = dir();
  const r = await ferry(
    'init',
    '-C',
    d,
    '--service',
    'billing',
    '--image',
    'registry.example.com/billing',
    '--port',
    '3000',
  );
  assert.equal(r.code, 0, r.stderr);
  const service = readFileSync(join(d, 'ferry.yaml'), 'utf8');
  const platform = readFileSync(join(d, 'ferry.platform.yaml'), 'utf8');
  assert.match(
    service.split('\n')[0] ?? '',
    /^# yaml-language-server: \$schema=.*schema\/ferry\.schema\.json$/,
  );
  assert.match(
    platform.split('\n')[0] ?? '',
    /^# yaml-language-server: \$schema=.*schema\/ferry\.platform\.schema\.json$/,
  );
  assert.match(service, /service: billing\nimage: registry.example.com\/billing .*\nport: 3000/);
  const schemaPath = (service.split('\n')[0] ?? '').split('$schema=')[1] ?? '';
  assert.ok(
    readFileSync(schemaPath.startsWith('/') ? schemaPath : join(d, schemaPath), 'utf8').includes('"$id"'),
  );
  assert.equal((await ferry('validate', d)).code, 0);
  const again = await ferry('init', '-C', d);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists \(pass --force/);
  const forced = await ferry('init', '-C', d, '--force', '-o', 'json');
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual((JSON.parse(forced.stdout) as { written: string[] }).written, [join(d, 'ferry.yaml')]);
});

test('init inside a monorepo uses its environments and writes no second platform file', async () => {
  const d = dir({
    'ferry.platform.yaml': "services: ['services/*']\nenvironments: { stage: {}, live: {} }\n",
  });
  mkdirSync(join(d, 'services/api'), { recursive: true });
  const r = await ferry('init', '-C', join(d, 'services/api'));
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(d, 'services/api/ferry.yaml'), 'utf8');
  assert.match(text, /service: api/);
  assert.match(text, /stage: \{ instances: 1 \}\n {2}live: \{ instances: 2 \}/);
  assert.equal((await ferry('validate', d)).code, 0);
  assert.equal(r.stderr, '');
  // a folder the platform does not list: written, with a note saying what to add
  mkdirSync(join(d, 'tools/cli'), { recursive: true });
  const outside = await ferry('init', '-C', join(d, 'tools/cli'));
  assert.equal(outside.code, 0, outside.stderr);
  assert.match(outside.stderr, /does not list .*tools\/cli in services/);
});

test("--version first prints ferry's version; after a command it is that command's release version", async () => {
  const own = await ferry('--version');
  assert.equal(own.code, 0, own.stderr);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(own.stdout.trim(), pkg.version);
  const r = await ferry('render', '-C', 'examples/anna', '--env', 'test', '--version', '9.9.9', 'hcn');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /image: registry\.anna\.example\.com\/anna\/hcn:9\.9\.9/);
  assert.doesNotMatch(r.stdout, /^0\.1\.0$/m);
});
