// rollback's --wait-lock is deploy's: the same option, an optional duration (default 10m).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFerry, tempDir } from '../testing.ts';
import { waitLockMs } from './release-common.ts';

test('waitLockMs: 0 without the flag, 10m without a duration, else the duration', async () => {
  assert.equal(waitLockMs(undefined), 0);
  assert.equal(waitLockMs(false), 0);
  assert.equal(waitLockMs(true), 600_000);
  assert.equal(waitLockMs('30s'), 30_000);
  assert.equal(waitLockMs('2m'), 120_000);
  assert.throws(() => waitLockMs('soon'), /--wait-lock: "soon" is not a duration/);
});

test('rollback and deploy: the same --wait-lock [duration], a bad duration refused before the store', async () => {
  const state = join(tempDir('ferry-rollback-cli-'), 'state.db');
  const run = (...args: string[]) =>
    runFerry(['-C', 'examples/anna', ...args], { FERRY_STATE: state, KUBECONFIG: '/nonexistent' });
  for (const cmd of ['rollback', 'deploy']) {
    const help = (await run(cmd, '--help')).stdout;
    assert.match(help, /^ +--wait-lock \[duration\] +when another deploy holds the lock, wait/m, cmd);
  }
  for (const args of [
    ['rollback', 'hcn', '--env', 'test', '--wait-lock', '30x'],
    ['deploy', 'hcn:1.0.0', '--env', 'test', '--wait-lock', '30x'],
  ]) {
    const r = await run(...args, '-o', 'json');
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    const err = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    assert.deepEqual(err, {
      code: 'E_USAGE',
      message: '--wait-lock: "30x" is not a duration',
      hint: 'write e.g. 30s, 2m or 1h',
    });
  }
  assert.equal(existsSync(state), false, 'the store was not opened');
});

test('a rollback in a protected environment needs --yes, like a deploy: refused before the store', async () => {
  const state = join(tempDir('ferry-rollback-protected-'), 'state.db');
  const r = await runFerry(['-C', 'examples/anna', 'rollback', 'hcn', '--env', 'prod', '-o', 'json'], {
    FERRY_STATE: state,
    KUBECONFIG: '/nonexistent',
  });
  assert.equal(r.code, 2, r.stderr);
  const err = (JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } }).error;
  assert.deepEqual(err, {
    code: 'E_PROTECTED',
    message: 'environment "prod" is protected',
    hint: 'pass --yes to confirm',
  });
  assert.equal(existsSync(state), false, 'the store was not opened');
});

test('status exits 1 when the cluster cannot be reached (a missing kubeconfig included), naming why', async () => {
  const state = join(tempDir('ferry-status-'), 'state.db');
  const r = await runFerry(['-C', 'examples/anna', 'status', '--env', 'test'], {
    FERRY_STATE: state,
    KUBECONFIG: '/nonexistent/kubeconfig',
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^hcn +test +- +unknown/m);
  assert.match(r.stderr, /hcn\/test: cannot read kubeconfig \/nonexistent\/kubeconfig/);
});
