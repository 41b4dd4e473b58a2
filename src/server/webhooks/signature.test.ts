import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyDigest, githubSignature, sameSecret, verifyGithubSignature } from './signature.ts';

test("GitHub's documented test vector (validating-webhook-deliveries)", () => {
  const secret = "It's a Secret to Everybody";
  const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  assert.equal(githubSignature(secret, 'Hello, World!'), expected);
  assert.equal(verifyGithubSignature(secret, Buffer.from('Hello, World!'), expected), true);
});

test('a changed body, another secret, a missing, legacy or malformed header: refused', () => {
  const secret = 's3cret';
  const sig = githubSignature(secret, '{"a":1}');
  assert.equal(verifyGithubSignature(secret, '{"a":1}', sig), true);
  assert.equal(verifyGithubSignature(secret, '{"a":2}', sig), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1} ', sig), false);
  assert.equal(verifyGithubSignature('other', '{"a":1}', sig), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', undefined), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', null), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', sig.replace('sha256=', 'sha1=')), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', sig.toUpperCase()), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', `${sig}00`), false);
  assert.equal(verifyGithubSignature(secret, '{"a":1}', ` ${sig}`), false);
});

test('tokens compare equal only when they are', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('ab', 'abc'), false);
  assert.equal(sameSecret('', 'abc'), false);
});

test('the same body is the same delivery', () => {
  assert.equal(bodyDigest('x'), bodyDigest(Buffer.from('x')));
  assert.notEqual(bodyDigest('x'), bodyDigest('y'));
});
