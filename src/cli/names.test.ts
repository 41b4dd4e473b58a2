// Every command refuses an unknown environment or service the same way: E_UNKNOWN_ENV /
// E_UNKNOWN_SERVICE, exit 2, the same message, did-you-mean and the names there are — before the
// store or the cluster is touched (history included: a typo is not "no releases").
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFerry, tempDir } from './testing.ts';

const d = tempDir('ferry-names-cli-');
const state = join(d, 'state.db');
const run = (...args: string[]) =>
  runFerry(['-C', 'examples/anna', ...args], { FERRY_STATE: state, KUBECONFIG: '/nonexistent' });

const ENV = 'error: no environment named "prdo" (did you mean "prod"? environments: test, prod)\n';
const SERVICE = 'error: no service named "hnc" (did you mean "hcn"? services: account, document, hcn)\n';

const unknownEnv: string[][] = [
  ['render', '--env', 'prdo'],
  ['parity', '--old', join(d, 'none.json'), '--env', 'prdo'],
  ['status', '--env', 'prdo'],
  ['rollback', 'hcn', '--env', 'prdo'],
  ['history', 'hcn', '--env', 'prdo'],
  ['diff', 'hcn:1.0.0', '--env', 'prdo'],
  ['deploy', 'hcn:1.0.0', '--env', 'prdo'],
];
const unknownService: string[][] = [
  ['render', 'hnc', '--env', 'test'],
  ['status', 'hnc'],
  ['rollback', 'hnc', '--env', 'test'],
  ['history', 'hnc', '--env', 'test'],
  ['diff', 'hnc:1.0.0', '--env', 'test'],
  ['deploy', 'hnc:1.0.0', '--env', 'test'],
  ['chart', 'hnc', '--out', join(d, 'charts')],
];

test('an unknown environment: the same error from every command, exit 2', async () => {
  for (const args of unknownEnv) {
    const r = await run(...args);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr, ENV, args[0]);
    const j = await run(...args, '-o', 'json');
    assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, 'E_UNKNOWN_ENV', args[0]);
  }
  assert.equal(existsSync(state), false, 'the store was not opened');
});

test('an unknown service: the same error from every command, exit 2', async () => {
  for (const args of unknownService) {
    const r = await run(...args);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr, SERVICE, args[0]);
    const j = await run(...args, '-o', 'json');
    assert.equal(
      (JSON.parse(j.stdout) as { error: { code: string } }).error.code,
      'E_UNKNOWN_SERVICE',
      args[0],
    );
  }
  assert.equal(existsSync(state), false, 'the store was not opened');
  assert.equal(existsSync(join(d, 'charts')), false);
});
