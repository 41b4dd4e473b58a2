import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { mergeOverlay } from './overlay.ts';

test('maps merge key by key; lists and scalars replace', () => {
  const base = {
    instances: 1,
    resources: { cpu: '500m', memory: '512Mi' },
    env: { A: '1', B: '2' },
    routes: [{ path: '/' }],
  };
  const merged = mergeOverlay(base, {
    instances: 4,
    resources: { memory: '1Gi' },
    env: { B: 'x' },
    routes: [{ path: '/api' }],
  });
  assert.deepEqual(merged, {
    instances: 4,
    resources: { cpu: '500m', memory: '1Gi' },
    env: { A: '1', B: 'x' },
    routes: [{ path: '/api' }],
  });
  assert.deepEqual(base.resources, { cpu: '500m', memory: '512Mi' }, 'base is not mutated');
});

test('null overlay = no overrides', () => {
  const base = { a: 1 };
  assert.equal(mergeOverlay(base, null), base);
  assert.equal(mergeOverlay(base, undefined), base);
});

test('property: merging an empty overlay is identity; overlay keys win', () => {
  const json = fc.dictionary(
    fc.string({ maxLength: 4 }),
    fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer())),
  );
  fc.assert(
    fc.property(json, json, (base, overlay) => {
      assert.deepEqual(Object.entries(mergeOverlay(base, {})), Object.entries(base));
      const m = mergeOverlay<Record<string, unknown>>(base, overlay);
      for (const [k, v] of Object.entries(overlay)) assert.deepEqual(m[k], v);
    }),
  );
});
