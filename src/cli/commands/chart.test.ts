// ferry chart as a process: the --tag is checked like render's version; the chart output is exact
// (stale templates of its own charts removed, a foreign chart with other templates refused).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ferry, tempDir } from '../testing.ts';

const anna = 'examples/anna';

test('chart --tag with an invalid version: E_VERSION, exit 2, the same message as render, nothing written', async () => {
  const out = join(tempDir('ferry-chart-cli-'), 'charts');
  const r = await ferry('chart', '-C', anna, '--out', out, '--tag', 'bad/tag', '-o', 'json');
  assert.equal(r.code, 2, r.stderr);
  const err = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'E_VERSION');
  assert.equal(existsSync(out), false);
  const render = await ferry('render', '-C', anna, '--env', 'test', '--version', 'bad/tag', '-o', 'json');
  assert.equal(render.code, 2, render.stderr);
  assert.deepEqual((JSON.parse(render.stdout) as { error: unknown }).error, err);
});

test('chart --tag with a valid version writes it as appVersion', async () => {
  const out = join(tempDir('ferry-chart-cli-'), 'charts');
  const r = await ferry('chart', '-C', anna, '--out', out, '--tag', '1.4.2', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files;
  assert.ok(files.some((f) => f.endsWith('Chart.yaml')));
});

test('chart again: files ferry does not generate are removed from templates/ of its own chart, nothing else', async () => {
  const root = tempDir('ferry-chart-cli-');
  const out = join(root, 'charts');
  assert.equal((await ferry('chart', 'account', '-C', anna, '--out', out)).code, 0);
  const chart = join(out, 'account');
  const templates = readdirSync(join(chart, 'templates')).sort();
  writeFileSync(join(chart, 'templates', 'stale-configmap.yaml'), 'kind: ConfigMap\n');
  mkdirSync(join(chart, 'templates', 'tests'));
  writeFileSync(join(chart, 'templates', 'tests', 'old.yaml'), 'kind: Pod\n');
  writeFileSync(join(chart, 'NOTES.md'), 'mine\n'); // outside templates/: kept
  writeFileSync(join(out, 'other.yaml'), 'mine\n'); // outside the chart: kept
  const r = await ferry('chart', 'account', '-C', anna, '--out', out, '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(chart, 'templates')).sort(), templates);
  assert.deepEqual((JSON.parse(r.stdout) as { removed: string[] }).removed.sort(), [
    join(chart, 'templates', 'stale-configmap.yaml'),
    join(chart, 'templates', 'tests', 'old.yaml'),
  ]);
  assert.ok(existsSync(join(chart, 'NOTES.md')));
  assert.ok(existsSync(join(out, 'other.yaml')));
  const text = await ferry('chart', 'account', '-C', anna, '--out', out);
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /removed/);
});

test('chart into a chart ferry did not write, with other templates: refused (E_EXISTS, exit 2), nothing touched', async () => {
  const root = tempDir('ferry-chart-cli-', {
    'charts/account/Chart.yaml': 'apiVersion: v2\nname: account\nversion: 1.0.0\n',
    'charts/account/templates/mine.yaml': 'kind: ConfigMap\n',
  });
  const out = join(root, 'charts');
  const r = await ferry('chart', 'account', '-C', anna, '--out', out, '-o', 'json');
  assert.equal(r.code, 2, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'E_EXISTS');
  assert.match(r.stderr, /not a chart ferry wrote.*templates\/mine\.yaml/);
  assert.equal(
    readFileSync(join(out, 'account', 'Chart.yaml'), 'utf8'),
    'apiVersion: v2\nname: account\nversion: 1.0.0\n',
  );
  assert.deepEqual(readdirSync(join(out, 'account', 'templates')), ['mine.yaml']);
});
