import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, didYouMean, editDistance } from './suggest.ts';

test('edit distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('closest finds plausible typos only', () => {
  assert.equal(closest('instnces', ['image', 'instances', 'env']), 'instances');
  assert.equal(closest('memroy', ['cpu', 'memory']), 'memory');
  assert.equal(closest('Prod', ['test', 'prod']), 'prod');
  assert.equal(closest('zzzzzz', ['cpu', 'memory']), undefined);
  assert.equal(closest('x', []), undefined);
});

test('didYouMean lists the candidates when none is close', () => {
  assert.equal(didYouMean('prdo', ['prod', 'test']), 'did you mean "prod"?');
  assert.equal(didYouMean('qqqqqq', ['test', 'prod'], 'environments'), 'environments: prod, test');
});
