#!/usr/bin/env node
// Test entry point. `unit`: tests beside the code (src/**/*.test.ts), no cluster needed.
// `all`: also test/**/*.test.ts, after making sure the real services they need are up
// (the local Kubernetes control plane, PostgreSQL); it stops only what it started.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const mode = process.argv[2] ?? 'unit';
const filter = process.argv.slice(3);

function findTests(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

const files = [...findTests('src'), ...(mode === 'all' ? findTests('test') : [])].filter(
  (f) => filter.length === 0 || filter.some((p) => f.includes(p)),
);

// Services the integration tests need: each ensure script prints "started" on its last line
// when it started something this run must stop afterwards.
const services = mode === 'all' ? ['cluster', 'postgres'] : [];
const started = [];
for (const name of services) {
  const ensure = join(root, 'scripts', name, 'ensure.sh');
  if (!existsSync(ensure)) continue;
  if (name === 'cluster' && process.env.FERRY_TEST_KUBECONFIG) continue;
  const r = spawnSync('bash', [ensure], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) {
    console.error(`ferry tests: could not bring up ${name} (scripts/${name}/ensure.sh exited ${r.status})`);
    process.exit(1);
  }
  if ((r.stdout ?? '').trim().split('\n').pop() === 'started') started.push(name);
}

let status = 0;
try {
  if (files.length === 0) {
    console.error('ferry tests: no test files found');
    status = 1;
  } else {
    status = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=4', ...files], {
      env: { ...process.env, FERRY_TEST_MODE: mode },
    });
  }
} finally {
  for (const name of started.reverse()) {
    const down = join(root, 'scripts', name, 'down.sh');
    if (existsSync(down)) run('bash', [down]);
  }
}
process.exit(status);
