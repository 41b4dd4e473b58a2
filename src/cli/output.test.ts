// -o yaml is render's alone: the commands that print text or json refuse it (exit 2) instead of
// silently printing text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../errors.ts';
import { exitCodeOf } from './exit.ts';
import { testIo, withIo } from './io.ts';
import { createPrinter } from './output.ts';
import { ferry } from './testing.ts';

test('createPrinter refuses -o yaml (E_USAGE, exit 2); text and json are fine', async () => {
  await withIo(testIo([]), async () => {
    assert.throws(
      () => createPrinter({ output: 'yaml' }),
      (e: unknown) => e instanceof FerryError && e.code === 'E_USAGE' && exitCodeOf(e) === 2,
    );
    assert.equal(createPrinter({ output: 'json' }).format, 'json');
    assert.equal(createPrinter({ output: 'text' }).format, 'text');
    assert.equal(createPrinter({}).format, 'text');
    return 0;
  });
});

test('a printer writes to its run’s own streams: two runs at once keep their output apart', async () => {
  const a = testIo([]);
  const b = testIo([]);
  const say = (io: typeof a, text: string) =>
    withIo(io, async () => {
      const p = createPrinter({});
      await new Promise((r) => setTimeout(r, 5));
      p.line(text);
      p.note(`note ${text}`);
      return 0;
    });
  await Promise.all([say(a, 'one'), say(b, 'two')]);
  assert.deepEqual([a.out(), a.err(), b.out(), b.err()], ['one\n', 'note one\n', 'two\n', 'note two\n']);
});

test('validate, status, chart -o yaml: exit 2 with a clear message; render -o yaml still works', async () => {
  for (const args of [
    ['validate', 'examples/anna'],
    ['status', '-C', 'examples/anna'],
    ['chart', '-C', 'examples/anna', '--out', '/nonexistent/ferry-charts'],
  ]) {
    const r = await ferry(...args, '-o', 'yaml');
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(
      r.stderr,
      'error: -o yaml is only for ferry render: this command prints text or json (use -o text, the default, or -o json)\n',
      args[0],
    );
    assert.equal(r.stdout, '', args[0]);
  }
  const render = await ferry('render', '-C', 'examples/anna', '--env', 'test', '-o', 'yaml');
  assert.equal(render.code, 0, render.stderr);
  assert.match(render.stdout, /^kind: Namespace$/m);
});
