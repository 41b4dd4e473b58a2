import assert from 'node:assert/strict';
import { test } from 'node:test';
import { githubSignature, verifyGitHubSignature } from './github-signature.ts';

test("GitHub's documented test vector (validating-webhook-deliveries)", () => {
  const secret = "It's a Secret to Everybody";
  const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  assert.equal(githubSignature(secret, 'Hello, World!'), expected);
  assert.equal(verifyGitHubSignature(secret, Buffer.from('Hello, World!'), expected), true);
});

test('a changed body, another secret, a missing, legacy or malformed header: refused', () => {
  const secret = 's3cret';
  const sig = githubSignature(secret, '{"a":1}');
  assert.equal(verifyGitHubSignature(secret, '{"a":2}', sig), false);
  assert.equal(verifyGitHubSignature('other', '{"a":1}', sig), false);
  assert.equal(verifyGitHubSignature(secret, '{"a":1}', undefined), false);
  assert.equal(verifyGitHubSignature(secret, '{"a":1}', 'sha1=0123'), false);
  assert.equal(verifyGitHubSignature(secret, '{"a":1}', sig.toUpperCase()), false);
  assert.equal(verifyGitHubSignature(secret, '{"a":1}', `${sig}00`), false);
});
