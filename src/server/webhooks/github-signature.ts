// GitHub's webhook signature (X-Hub-Signature-256): "sha256=" and the lowercase hex HMAC-SHA256
// of the exact bytes received, keyed with the hook's secret, compared in constant time. Shared by
// every route that takes GitHub-signed deliveries (pull requests; GHCR package events).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The header value GitHub sends for `body` under `secret`. */
export function githubSignature(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is the signature of `body` under `secret`; false when it is missing or malformed. */
export function verifyGitHubSignature(
  secret: string,
  body: Uint8Array | string,
  header: string | null | undefined,
): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(githubSignature(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
