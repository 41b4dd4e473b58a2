import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapCommand } from './command.ts';

test('cmd is the shell form; args are kept; an empty cmd is dropped', () => {
  const r = runMappers([mapCommand], { cmd: 'python /app/main.py', args: ['--port', 8080] });
  assert.equal(r.m.command, 'python /app/main.py');
  assert.deepEqual(r.m.args, ['--port', '8080']);
  assert.equal(runMappers([mapCommand], { cmd: '' }).at('cmd')?.outcome, 'dropped');
});
