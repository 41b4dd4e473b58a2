// API tokens: `fry_` + 30 random base62 characters + a 6-character checksum of them (CRC32 in
// base62), like GitHub's `ghp_` tokens, so a scanner (or ferry itself) can tell a real token from
// a typo without asking the store, and the prefix says whose it is. Only the SHA-256 of a token
// is stored; the token is shown once, when created. The public id is the prefix and the first
// eight random characters: enough to name a token in lists, useless to use it.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'fry_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(s: string): number {
  let c = 0xffffffff;
  for (const b of Buffer.from(s, 'utf8')) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // rejection sampling keeps every character equally likely
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export function newToken(): string {
  const body = randomBase62(RANDOM_LENGTH);
  return `${TOKEN_PREFIX}${body}${base62(crc32(body), CHECKSUM_LENGTH)}`;
}

/** Whether `token` has ferry's shape and a checksum that matches. */
export function wellFormed(token: string): boolean {
  if (
    !token.startsWith(TOKEN_PREFIX) ||
    token.length !== TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH
  )
    return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  const sum = token.slice(TOKEN_PREFIX.length + RANDOM_LENGTH);
  return /^[0-9A-Za-z]+$/.test(body) && base62(crc32(body), CHECKSUM_LENGTH) === sum;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenId(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 8);
}
