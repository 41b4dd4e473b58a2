// Checking who sent a webhook, shared by every hook the server takes (GitHub's pull requests,
// GHCR's package events, the registries'): GitHub's X-Hub-Signature-256 ("sha256=" and the
// lowercase hex HMAC-SHA256 of the exact bytes received, keyed with the hook's secret), and a
// static token (in the URL or an Authorization header), each compared in constant time so a
// timing difference gives nothing away. Also the delivery id of a provider that sends none.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The header value GitHub sends for `body` under `secret`. */
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

/** Whether `header` is GitHub's signature of `body` under `secret`; false when it is missing or malformed. */
export function verifyGithubSignature(
  secret: string,
  body: Uint8Array | string,
  header: string | null | undefined,
): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  return sameSecret(header, githubSignature(secret, body));
}

/** A delivery id from the body when the provider sends none: the same bytes replayed are one delivery. */
export function bodyDigest(body: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
