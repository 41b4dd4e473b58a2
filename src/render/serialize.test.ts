import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { sortKeys, toJson, toYamlStream } from './serialize.ts';

test('sortKeys orders keys at every level and drops undefined', () => {
  const out = sortKeys({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } });
  assert.equal(JSON.stringify(out), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
});

test('YAML stream: one document per object, separated by ---, YAML 1.1 safe strings', () => {
  const text = toYamlStream([
    { kind: 'A', value: 'yes' },
    { kind: 'B', value: 'on', mode: '0755', n: 3 },
  ]);
  assert.equal(text.split('---\n').length, 2);
  assert.match(text, /value: 'yes'/);
  assert.match(text, /value: 'on'/);
  assert.match(text, /mode: '0755'/);
  const docs = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as unknown);
  assert.deepEqual(docs, [
    { kind: 'A', value: 'yes' },
    { kind: 'B', mode: '0755', n: 3, value: 'on' },
  ]);
});

test('the same input always gives the same bytes', () => {
  const a = { spec: { x: 1, a: [3, 2, 1] }, kind: 'K', apiVersion: 'v1' };
  const b = { apiVersion: 'v1', kind: 'K', spec: { a: [3, 2, 1], x: 1 } };
  assert.equal(toYamlStream([a]), toYamlStream([b]));
  assert.equal(toJson(a), toJson(b));
  assert.ok(toYamlStream([a]).startsWith('apiVersion: v1\nkind: K\n'));
});
