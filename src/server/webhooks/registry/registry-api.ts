// Resolving a pushed tag to its digest through the registry's own API (the Docker Registry HTTP
// API v2 that Distribution, Docker Hub, Harbor, GHCR and Quay all serve): HEAD
// /v2/<name>/manifests/<tag> with the manifest media types in Accept; the answer's
// Docker-Content-Digest is the digest of what the tag names (the index, for a multi-arch image).
// Authentication as registries ask for it: a 401 with `WWW-Authenticate: Bearer realm=…,
// service=…, scope=…` is answered by fetching a token from the realm (with the configured
// credentials, or anonymously), `Basic` with the credentials; a configured token is sent as it is.
import { FerryError } from '../../../errors.ts';

export interface RegistryApi {
  /** the API's base URL, e.g. https://registry-1.docker.io */
  url: string;
  username?: string;
  password?: string;
  /** a bearer token sent as it is (no token exchange) */
  token?: string;
  timeoutMs?: number;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The registry API from the server's environment, when one is configured. */
export function registryApiFrom(env: Readonly<Record<string, string | undefined>>): RegistryApi | undefined {
  const url = env.FERRY_REGISTRY_API_URL;
  if (!url) return undefined;
  return {
    url,
    ...(env.FERRY_REGISTRY_USERNAME ? { username: env.FERRY_REGISTRY_USERNAME } : {}),
    ...(env.FERRY_REGISTRY_PASSWORD ? { password: env.FERRY_REGISTRY_PASSWORD } : {}),
    ...(env.FERRY_REGISTRY_TOKEN ? { token: env.FERRY_REGISTRY_TOKEN } : {}),
  };
}

/** `Bearer realm="…",service="…"` → scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^(\w+)\s*(.*)$/.exec(header.trim());
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? '').matchAll(/(\w+)="([^"]*)"|(\w+)=([^,\s]+)/g)) {
    const k = p[1] ?? p[3];
    if (k) params[k.toLowerCase()] = p[2] ?? p[4] ?? '';
  }
  return { scheme: (m?.[1] ?? '').toLowerCase(), params };
}

function basic(api: RegistryApi): string | undefined {
  return api.username !== undefined
    ? `Basic ${Buffer.from(`${api.username}:${api.password ?? ''}`).toString('base64')}`
    : undefined;
}

function failure(api: RegistryApi, what: string, cause?: unknown): FerryError {
  return new FerryError('E_REGISTRY', `the registry API at ${api.url}: ${what}`, {
    hint: 'check the registry API URL and credentials of the server',
    ...(cause !== undefined ? { cause } : {}),
  });
}

async function bearerToken(
  api: RegistryApi,
  params: Record<string, string>,
  signal: AbortSignal,
): Promise<string> {
  const realm = params.realm;
  if (!realm) throw failure(api, 'a Bearer challenge without a realm');
  const u = new URL(realm);
  if (params.service) u.searchParams.set('service', params.service);
  if (params.scope) u.searchParams.set('scope', params.scope);
  const auth = basic(api);
  const res = await fetch(u, { headers: auth ? { authorization: auth } : {}, signal });
  if (!res.ok) throw failure(api, `the token service ${u.origin}${u.pathname} answered ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  const t = body.token ?? body.access_token;
  if (!t) throw failure(api, 'the token service answered without a token');
  return t;
}

/** The digest `path:tag` names now (E_REGISTRY when the API cannot say). */
export async function resolveDigest(api: RegistryApi, path: string, tag: string): Promise<string> {
  const signal = AbortSignal.timeout(api.timeoutMs ?? 3000);
  const url = `${api.url.replace(/\/+$/, '')}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
  const head = (authorization: string | undefined) =>
    fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) },
      signal,
    });
  try {
    let res = await head(api.token ? `Bearer ${api.token}` : undefined);
    if (res.status === 401 && !api.token) {
      const c = parseChallenge(res.headers.get('www-authenticate') ?? '');
      if (c.scheme === 'bearer') res = await head(`Bearer ${await bearerToken(api, c.params, signal)}`);
      else if (c.scheme === 'basic' && basic(api)) res = await head(basic(api));
    }
    if (res.status === 404) throw failure(api, `${path}:${tag} does not exist`);
    if (!res.ok) throw failure(api, `HEAD ${path}:${tag} answered ${res.status}`);
    const d = res.headers.get('docker-content-digest') ?? '';
    if (!DIGEST.test(d)) throw failure(api, `HEAD ${path}:${tag} gave no sha256 Docker-Content-Digest`);
    return d;
  } catch (e) {
    if (e instanceof FerryError) throw e;
    throw failure(api, e instanceof Error ? e.message : String(e), e);
  }
}
