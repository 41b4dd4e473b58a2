// Who may call a registry hook. Registries sign nothing (research/platform-webhooks.md §2), so
// each hook has a token of its own: Docker Hub and Quay can only put it in the URL (?token=…);
// Distribution and Harbor send it in a header they are configured with (Authorization:
// Bearer <token>, or Harbor's "Auth Header" verbatim). GHCR is GitHub: its X-Hub-Signature-256
// with the hook's secret. A hook with nothing configured takes nothing.
import { httpError } from '../../errors.ts';
import { GITHUB_SIGNATURE_HEADER, sameSecret, verifyGithubSignature } from '../signature.ts';
import type { RegistryProvider } from './payloads.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The token (or, for ghcr, the signing secret) of a hook, from the server's environment. */
export function hookSecret(provider: RegistryProvider, env: Env): string | undefined {
  if (provider === 'ghcr')
    return env.FERRY_GHCR_WEBHOOK_SECRET || env.FERRY_GITHUB_WEBHOOK_SECRET || undefined;
  return (
    env[`FERRY_${provider.toUpperCase()}_WEBHOOK_TOKEN`] || env.FERRY_REGISTRY_WEBHOOK_TOKEN || undefined
  );
}

export function hookSecretName(provider: RegistryProvider): string {
  return provider === 'ghcr'
    ? 'FERRY_GHCR_WEBHOOK_SECRET (or FERRY_GITHUB_WEBHOOK_SECRET)'
    : `FERRY_${provider.toUpperCase()}_WEBHOOK_TOKEN (or FERRY_REGISTRY_WEBHOOK_TOKEN)`;
}

/** Refuses (401) a delivery that does not carry the hook's token or signature. */
export function authenticateHook(
  provider: RegistryProvider,
  env: Env,
  request: { url: string; headers: Headers; body: Uint8Array | string },
): void {
  const secret = hookSecret(provider, env);
  if (!secret)
    throw httpError(
      'E_UNAUTHENTICATED',
      `the ${provider} hook is not configured on this server: it takes no deliveries`,
      `set ${hookSecretName(provider)} in the server's environment`,
    );
  if (provider === 'ghcr') {
    if (!verifyGithubSignature(secret, request.body, request.headers.get(GITHUB_SIGNATURE_HEADER)))
      throw httpError(
        'E_UNAUTHENTICATED',
        'the X-Hub-Signature-256 of this delivery does not match the hook secret',
        "give the GitHub hook the server's secret",
      );
    return;
  }
  const fromUrl = new URL(request.url).searchParams.get('token') ?? undefined;
  const header = request.headers.get('authorization')?.trim();
  const fromHeader = header?.replace(/^Bearer\s+/i, '');
  const given = [fromUrl, header, fromHeader].filter((x): x is string => !!x);
  if (!given.some((g) => sameSecret(g, secret)))
    throw httpError(
      'E_UNAUTHENTICATED',
      given.length
        ? `the token of this ${provider} delivery is wrong`
        : `this ${provider} delivery carries no token`,
      'add ?token=<the hook token> to the hook URL, or send Authorization: Bearer <the hook token>',
    );
}
