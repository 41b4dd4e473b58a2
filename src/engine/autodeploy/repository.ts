// Is a pushed repository the one a service runs? Both sides as (registry host, path), the way
// Docker names images: no host means Docker Hub, a one-segment Docker Hub name is library/<name>.
// A push whose payload names no host (some Distribution setups) matches by path alone.

const DOCKER_HUB = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

export interface RepositoryName {
  host: string | undefined;
  path: string;
}

function namesHost(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

function canonicalHost(host: string): string {
  const h = host.toLowerCase();
  return DOCKER_HUB.has(h) ? 'docker.io' : h;
}

/** `registry.example.com/team/app`, `team/app`, `nginx` → host and path (Docker's defaults). */
export function parseRepository(image: string): RepositoryName {
  const parts = image.replace(/^[a-z]+:\/\//i, '').split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && namesHost(first)) {
    const host = canonicalHost(first);
    const path = parts.slice(1).join('/');
    return { host, path: host === 'docker.io' && !path.includes('/') ? `library/${path}` : path };
  }
  const path = parts.join('/');
  return { host: 'docker.io', path: path.includes('/') ? path : `library/${path}` };
}

/** A pushed repository as the payload names it: an optional host, and its path. */
export function pushedRepository(host: string | undefined, path: string): RepositoryName {
  if (host === undefined) return { host: undefined, path };
  const h = canonicalHost(host);
  return { host: h, path: h === 'docker.io' && !path.includes('/') ? `library/${path}` : path };
}

export function sameRepository(image: RepositoryName, pushed: RepositoryName): boolean {
  if (image.path !== pushed.path) return false;
  return pushed.host === undefined || image.host === pushed.host;
}

export function formatRepository(r: RepositoryName): string {
  return r.host ? `${r.host}/${r.path}` : r.path;
}
