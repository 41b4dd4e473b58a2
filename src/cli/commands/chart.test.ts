// ferry chart as a process: the --tag is checked like render's version.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ferry, tempDir } from '../testing.ts';

const anna = 'examples/anna';

test('chart --tag with an invalid version: E_VERSION, exit 2, the same message as render, nothing written', () => {
  const out = join(tempDir('ferry-chart-cli-'), 'charts');
  const r = ferry('chart', '-C', anna, '--out', out, '--tag', 'bad/tag', '-o', 'json');
  assert.equal(r.code, 2, r.stderr);
  const err = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'E_VERSION');
  assert.equal(existsSync(out), false);
  const render = ferry('render', '-C', anna, '--env', 'test', '--version', 'bad/tag', '-o', 'json');
  assert.equal(render.code, 2, render.stderr);
  assert.deepEqual((JSON.parse(render.stdout) as { error: unknown }).error, err);
});

test('chart --tag with a valid version writes it as appVersion', () => {
  const out = join(tempDir('ferry-chart-cli-'), 'charts');
  const r = ferry('chart', '-C', anna, '--out', out, '--tag', '1.4.2', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files;
  assert.ok(files.some((f) => f.endsWith('Chart.yaml')));
});
