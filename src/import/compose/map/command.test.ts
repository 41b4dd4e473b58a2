import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapCommand } from './command.ts';

test('entrypoint → command (exec form), command → args split like a shell', () => {
  const r = runMappers([mapCommand], { entrypoint: ['/bin/app'], command: 'serve --port "4 000"' });
  assert.deepEqual(r.m.command, ['/bin/app']);
  assert.deepEqual(r.m.args, ['serve', '--port', '4 000']);
  assert.equal(r.at('entrypoint')?.outcome, 'mapped');
  assert.match(r.at('command')?.note ?? '', /split into words/);
});

test('an empty command or entrypoint is dropped, not written', () => {
  const r = runMappers([mapCommand], { entrypoint: [], command: '' });
  assert.equal(r.m.command, undefined);
  assert.equal(r.m.args, undefined);
  assert.equal(r.at('entrypoint')?.outcome, 'dropped');
  assert.equal(r.at('command')?.outcome, 'dropped');
});
