// The three ways the built CLI starts (npm run build makes all three; bin/ferry picks the first
// that fits): the start-up snapshot (dist/ferry.blob), the bundle (dist/ferry.cjs) and tsc's
// output (dist/cli/main.js). They must be the same program: same stdout, stderr and exit code for
// every example, environment, target and format, for help, version, validation and errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

const ways: Record<string, string[]> = {
  snapshot: ['--snapshot-blob', join(root, 'dist/ferry.blob'), root],
  bundle: [join(root, 'dist/ferry.cjs')],
  tsc: [join(root, 'dist/cli/main.js')],
};

function run(
  way: string,
  args: string[],
  cwd = root,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...(ways[way] ?? []), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FERRY_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function same(args: string[], cwd = root): void {
  const [first, ...rest] = Object.keys(ways).map((w) => [w, run(w, args, cwd)] as const);
  for (const [way, got] of rest)
    assert.deepEqual(got, first?.[1], `${way} vs ${first?.[0]}: ferry ${args.join(' ')}`);
}

test('the snapshot was built by this Node for this checkout (bin/ferry starts from it)', () => {
  const [checkout, built] = readFileSync(join(root, 'dist/ferry.blob.stamp'), 'utf8').split('\n');
  assert.equal(checkout, root);
  assert.equal(built, `${process.version} ${realpathSync(process.execPath)}`);
  // bin/ferry compares the node on PATH with this file's modification time
  const ref = statSync(join(root, 'dist/ferry.blob.node'));
  assert.equal(ref.mtimeMs, statSync(realpathSync(process.execPath)).mtimeMs);
  const r = spawnSync(join(root, 'bin/ferry'), ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout.trim(),
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
  );
});

test('with another node first on PATH, bin/ferry does not use the snapshot, and still works', () => {
  const d = mkdtempSync(join(tmpdir(), 'ferry-othernode-'));
  try {
    // a different file than the node that built the snapshot (it records each use, then runs node)
    writeFileSync(join(d, 'node'), `#!/bin/sh\necho "$@" >> "${d}/used"\nexec "${process.execPath}" "$@"\n`, {
      mode: 0o755,
    });
    const env = { ...process.env, PATH: `${d}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    const r = spawnSync(join(root, 'bin/ferry'), ['render', '-C', 'examples/anna', '--env', 'test'], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, run('tsc', ['render', '-C', 'examples/anna', '--env', 'test']).stdout);
    const used = readFileSync(join(d, 'used'), 'utf8');
    assert.doesNotMatch(used, /--snapshot-blob/);
    assert.match(used, /bin\/ferry render/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('snapshot, bundle and tsc output render every example the same, for every target and format', () => {
  for (const ex of readdirSync(join(root, 'examples'), { withFileTypes: true }).filter((e) =>
    e.isDirectory(),
  )) {
    const dir = join(root, 'examples', ex.name);
    for (const env of ['test', 'prod']) {
      for (const target of ['kubernetes', 'helm', 'swarm', 'marathon']) {
        for (const output of ['yaml', 'json'])
          same(['render', '-C', dir, '--env', env, '-t', target, '-o', output]);
      }
    }
    same(['validate', '-C', dir, '-o', 'json']);
  }
});

test('snapshot, bundle and tsc output agree on help, version, errors and files written', () => {
  same(['--help']);
  same(['--version']);
  same(['render', '--help']);
  same(['render', '-C', 'examples/anna', '--env', 'prdo']);
  same(['render', '-C', 'examples/anna', '--env', 'test', '-t', 'nomad']);
  same(['validate', '-C', '/nonexistent']);
  // zod's own messages (types, enums, formats) come out the same from the bundle, which keeps only
  // zod's English locale
  const broken = mkdtempSync(join(tmpdir(), 'ferry-broken-'));
  try {
    writeFileSync(
      join(broken, 'ferry.platform.yaml'),
      "services: ['svc']\nenvironments:\n  test: { namespace: 7 }\n",
    );
    mkdirSync(join(broken, 'svc'));
    writeFileSync(
      join(broken, 'svc', 'ferry.yaml'),
      'service: Web_1\nimage: 5\nport: "x"\ninstnces: 2\nresources: { cpu: lots }\nhealth: { path: 3 }\nenvironments: { test: { instances: -1 } }\n',
    );
    same(['validate', '-C', broken]);
    same(['validate', '-C', broken, '-o', 'json']);
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
  same(['bogus']);
  // init finds schema/ through its own file's location: the same files from each
  const wrote = Object.keys(ways).map((way) => {
    const d = mkdtempSync(join(tmpdir(), `ferry-init-${way}-`));
    try {
      const r = run(way, ['init', '--service', 'web'], d);
      assert.equal(r.code, 0, `${way}: ${r.stderr}`);
      const files = readdirSync(d).sort();
      return files.map((f) => [f, readFileSync(join(d, f), 'utf8')]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
  assert.ok((wrote[0] ?? []).length >= 2, 'ferry.yaml and ferry.platform.yaml');
  for (const w of wrote.slice(1)) assert.deepEqual(w, wrote[0]);
});
