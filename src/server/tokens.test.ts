import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, newToken, tokenHash, tokenId, wellFormed } from './tokens.ts';

test('tokens: prefix, 30 random base62 characters and a checksum; typos are told apart offline', () => {
  const t = newToken();
  assert.match(t, /^fry_[0-9A-Za-z]{36}$/);
  assert.equal(wellFormed(t), true);
  // one character changed anywhere breaks the checksum
  for (const i of [4, 10, 33, 39]) {
    const c = t[i] === 'a' ? 'b' : 'a';
    assert.equal(wellFormed(t.slice(0, i) + c + t.slice(i + 1)), false, `changed at ${i}`);
  }
  assert.equal(wellFormed(t.slice(0, -1)), false);
  assert.equal(wellFormed(`ghp_${t.slice(4)}`), false);
  assert.notEqual(newToken(), t);
  assert.equal(tokenId(t), t.slice(0, 12));
  assert.equal(tokenHash(t).length, 64);
});

test('crc32 is the standard one (check value of "123456789")', () => {
  assert.equal(crc32('123456789'), 0xcbf43926);
});
