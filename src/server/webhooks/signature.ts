// Checking who sent a webhook, shared by every hook the server takes (GitHub's and the
// registries'): GitHub's X-Hub-Signature-256 (HMAC-SHA256 of the exact bytes received, keyed with
// the hook's secret), and a static token (in the URL or an Authorization header), each compared
// in constant time so a timing difference gives nothing away.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` of the raw body with the secret, as GitHub sends it. */
export function githubSignature(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  // hashing first gives both sides one length, so the comparison cannot leak it
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** True when `header` is GitHub's signature of `body` with `secret`. */
export function verifyGithubSignature(
  secret: string,
  body: Uint8Array | string,
  header: string | undefined | null,
): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  return sameSecret(header.trim(), githubSignature(secret, body));
}

/** A delivery id from the body when the provider sends none: the same bytes replayed are one delivery. */
export function bodyDigest(body: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
