// deploy's refusals happen before the lock, the store or the cluster are touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFerry, type CliResult } from '../testing.ts';

function ferry(state: string, ...args: string[]): Promise<CliResult> {
  return runFerry(args, { FERRY_STATE: state, KUBECONFIG: '/nonexistent' });
}

test('unknown services, versions without a tag, protected environments: exit 2, nothing recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-deploy-cli-'));
  const state = join(dir, 'state.db');
  try {
    const unknown = await ferry(
      state,
      '-C',
      'examples/anna',
      'deploy',
      'hcn:1.0.0',
      'nope:1',
      '--env',
      'test',
      '-o',
      'json',
    );
    assert.equal(unknown.code, 2);
    assert.equal((JSON.parse(unknown.stdout) as { error: { code: string } }).error.code, 'E_UNKNOWN_SERVICE');
    const noVersion = await ferry(state, '-C', 'examples/anna', 'deploy', 'hcn', '--env', 'test');
    assert.equal(noVersion.code, 2);
    assert.match(noVersion.stderr, /"hcn" names no version \(write service:version/);
    const prot = await ferry(state, '-C', 'examples/anna', 'deploy', 'hcn:1.0.0', '--env', 'prod');
    assert.equal(prot.code, 2);
    assert.match(prot.stderr, /environment "prod" is protected \(pass --yes/);
    const badLabel = await ferry(
      state,
      '-C',
      'examples/anna',
      'deploy',
      'hcn:1.0.0',
      '--env',
      'test',
      '--pod-label',
      'x',
    );
    assert.equal(badLabel.code, 2);
    for (const n of ['0', '-1', '2.5', 'many']) {
      const badParallel = await ferry(
        state,
        '-C',
        'examples/anna',
        'deploy',
        'hcn:1.0.0',
        '--env',
        'test',
        '--parallel',
        n,
      );
      assert.equal(badParallel.code, 2, n);
      assert.match(badParallel.stderr, /--parallel: ".*" is not a whole number ≥ 1/);
    }
    assert.equal(existsSync(state), false, 'the store was not even opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
