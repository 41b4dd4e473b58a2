// ferry diff's exit code: 3 when the deploy would change something, 0 when not — never 1, which
// is kept for failures (an unreachable cluster), so scripts can tell "changes" from "broken".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../exit.ts';
import { diffExitCode } from './diff.ts';

test('diff exits 3 (rejected) when anything would be created, updated or deleted', () => {
  for (const action of ['create', 'update', 'delete']) {
    assert.equal(diffExitCode([{ action: 'unchanged' }, { action }]), ExitCode.rejected, action);
    assert.equal(diffExitCode([{ action }]), 3, action);
  }
});

test('diff exits 0 when nothing would change (unchanged or unsupported only, or nothing rendered)', () => {
  assert.equal(diffExitCode([]), 0);
  assert.equal(diffExitCode([{ action: 'unchanged' }, { action: 'unsupported' }]), 0);
});
