import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneSelector } from '../../render/kubernetes/labels.ts';
import { labelValue, recordLabels, recordSelector, releaseName, type RecordKind } from './names.ts';

const RECORDS: RecordKind[] = ['release', 'steps', 'history', 'lock', 'audit'];

test("no store record carries the labels a deploy's prune selects by", () => {
  for (const record of RECORDS) {
    const labels = recordLabels(record, 'hcn', 'test');
    const prune = pruneSelector('hcn', 'test');
    const matched = Object.entries(prune).every(([k, v]) => labels[k] === v);
    assert.equal(matched, false, `${record} would be pruned`);
    assert.equal(labels['app.kubernetes.io/managed-by'], 'ferry');
    assert.equal(labels['ferry.dev/service'], undefined);
  }
});

test('record names are DNS subdomains; names too long keep a hash, so two stay apart', () => {
  assert.equal(releaseName('hcn', 'test', 12), 'ferry.release.hcn.test.v12');
  const long = 'x'.repeat(200);
  const a = releaseName(long, `${long}a`, 1);
  const b = releaseName(long, `${long}b`, 1);
  assert.ok(a.length <= 253 && b.length <= 253);
  assert.notEqual(a, b);
  assert.match(a, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
});

test('selectors: equality on what is set, a set of ids for a window', () => {
  assert.equal(
    recordSelector('release', { service: 'hcn', environment: 'test', outcome: 'succeeded', ids: [3, 2] }),
    'app.kubernetes.io/managed-by=ferry,store.ferry.dev/record=release,store.ferry.dev/service=hcn,store.ferry.dev/environment=test,store.ferry.dev/outcome=succeeded,store.ferry.dev/id in (3,2)',
  );
  assert.equal(
    recordSelector('audit', {}),
    'app.kubernetes.io/managed-by=ferry,store.ferry.dev/record=audit',
  );
});

test('label values: valid ones as they are; others cleaned, cut to 63 and told apart by a hash', () => {
  assert.equal(labelValue('hcn'), 'hcn');
  const a = labelValue(`${'s'.repeat(80)}a`);
  const b = labelValue(`${'s'.repeat(80)}b`);
  assert.ok(a.length <= 63 && b.length <= 63);
  assert.notEqual(a, b);
  assert.match(labelValue('Web Shop!'), /^Web_Shop_[0-9a-f]{10}$/);
  assert.notEqual(releaseName('Hcn', 'test', 1), releaseName('hcn', 'test', 1));
});
