import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namesHint } from './names.ts';

test('namesHint: the closest name when one is close, always the list', () => {
  assert.equal(
    namesHint('prdo', ['test', 'prod'], 'environments'),
    'did you mean "prod"? environments: test, prod',
  );
  assert.equal(namesHint('zzzzzz', ['test', 'prod'], 'environments'), 'environments: test, prod');
  assert.equal(namesHint('x', [], 'services'), 'there are no services');
});
