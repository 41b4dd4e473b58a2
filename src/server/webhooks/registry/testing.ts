// Test kit: push notifications as each registry documents them (field for field, with the
// providers' own example values where they give some), for the unit and the server tests.
// Sources: docs.docker.com (Docker Hub webhooks), distribution/distribution
// docs/content/about/notifications.md, goharbor.io (configure webhooks), octokit/webhooks
// payload schemas (package / registry_package published), Red Hat Quay (repository notifications).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export interface PushSpec {
  /** the repository path (namespace/name) */
  repository: string;
  tag: string;
  digest?: string;
  host?: string;
}

export function dockerhubPush(p: PushSpec): Record<string, unknown> {
  const [namespace = '', name = ''] = p.repository.split('/');
  return {
    callback_url: `https://registry.hub.docker.com/u/${p.repository}/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/`,
    push_data: { pushed_at: 1417566161, pusher: 'trustedbuilder', tag: p.tag },
    repository: {
      comment_count: 0,
      date_created: 1417494799,
      description: '',
      dockerfile: 'FROM node:20\n',
      full_description: 'Docker Hub based automated build from a GitHub repo',
      is_official: false,
      is_private: true,
      is_trusted: true,
      name,
      namespace,
      owner: namespace,
      repo_name: p.repository,
      repo_url: `https://registry.hub.docker.com/u/${p.repository}/`,
      star_count: 0,
      status: 'Active',
    },
  };
}

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** One envelope: a layer push (no tag) and the tagged manifest push, as a real push sends them. */
export function distributionEnvelope(
  p: PushSpec & { digest: string },
  extraTags: string[] = [],
): Record<string, unknown> {
  const host = p.host ?? 'registry.example.com:5000';
  const event = (mediaType: string, digest: string, tag: string | undefined) => ({
    id: randomUUID(),
    timestamp: '2016-03-09T14:44:26.402973972-08:00',
    action: 'push',
    target: {
      mediaType,
      size: 708,
      digest,
      length: 708,
      repository: p.repository,
      url: `http://${host}/v2/${p.repository}/manifests/${digest}`,
      ...(tag ? { tag } : {}),
    },
    request: { id: randomUUID(), addr: '192.168.64.11:42961', host, method: 'PUT', useragent: 'docker/27.0' },
    actor: {},
    source: { addr: 'registry-0:5000', instanceID: randomUUID() },
  });
  return {
    events: [
      event(LAYER, `sha256:${'1'.repeat(64)}`, undefined),
      event(MANIFEST, p.digest, p.tag),
      ...extraTags.map((t) => event(MANIFEST, p.digest, t)),
    ],
  };
}

export function harborPush(p: PushSpec): Record<string, unknown> {
  const [namespace = '', name = ''] = p.repository.split('/');
  const host = p.host ?? 'harbor.example.com';
  return {
    type: 'PUSH_ARTIFACT',
    occur_at: 1680501893,
    operator: 'admin',
    event_data: {
      resources: [
        {
          ...(p.digest ? { digest: p.digest } : {}),
          tag: p.tag,
          resource_url: `${host}/${p.repository}:${p.tag}`,
        },
      ],
      repository: {
        date_created: 1680501893,
        name,
        namespace,
        repo_full_name: p.repository,
        repo_type: 'private',
      },
    },
  };
}

/** A GitHub `package` (or `registry_package`) event for one manifest; no tag for a platform manifest. */
export function ghcrPackage(
  p: PushSpec,
  event: 'package' | 'registry_package' = 'package',
  action: 'published' | 'updated' = 'published',
): Record<string, unknown> {
  const [owner = '', ...rest] = p.repository.split('/');
  const name = rest.join('/');
  const digest = p.digest ?? `sha256:${'0'.repeat(64)}`;
  return {
    action,
    [event]: {
      id: 2021,
      name,
      namespace: owner,
      description: '',
      ecosystem: 'CONTAINER',
      package_type: 'CONTAINER',
      html_url: `https://github.com/orgs/${owner}/packages/container/package/${name}`,
      created_at: '2024-05-01T10:00:00Z',
      updated_at: '2024-05-01T10:00:00Z',
      owner: { login: owner, id: 1, type: 'Organization' },
      package_version: {
        id: 9001,
        version: digest,
        name: digest,
        description: '',
        summary: '',
        manifest: '',
        html_url: `https://github.com/orgs/${owner}/packages/container/${name}/9001`,
        target_commitish: 'main',
        target_oid: 'c2c6c94d2b4c9c1f1e3ae9d1d3c2f0b8c1f6a7e3',
        created_at: '2024-05-01T10:00:00Z',
        updated_at: '2024-05-01T10:00:00Z',
        metadata: [],
        container_metadata: {
          tag: { name: p.tag, digest },
          labels: { description: '', source: `https://github.com/${owner}/${name}` },
          manifest: {
            digest,
            media_type: 'application/vnd.oci.image.index.v1+json',
            uri: `repositories/${owner}/${name}/manifests/${digest}`,
            size: 1234,
            config: {},
            layers: [],
          },
        },
        package_files: [],
        installation_command: `docker pull ghcr.io/${owner}/${name}:${p.tag}`,
        package_url: `ghcr.io/${owner}/${name}:${p.tag}`,
      },
      registry: {
        about_url: 'https://docs.github.com/packages',
        name: 'GitHub docker registry',
        type: 'docker',
        url: 'https://ghcr.io',
        vendor: 'GitHub Inc',
      },
    },
    repository: { id: 1, name, full_name: `${owner}/${name}`, private: false, owner: { login: owner } },
    organization: { login: owner, id: 1 },
    sender: { login: 'octocat', id: 583231, type: 'User' },
  };
}

export function quayPush(p: PushSpec, tags: string[] = [p.tag]): Record<string, unknown> {
  const [namespace = '', name = ''] = p.repository.split('/');
  const host = p.host ?? 'quay.io';
  return {
    name,
    repository: p.repository,
    namespace,
    docker_url: `${host}/${p.repository}`,
    homepage: `https://${host}/repository/${p.repository}`,
    updated_tags: tags,
  };
}

export interface LocalRegistry {
  url: string;
  /** `path:tag` → digest: what the registry holds */
  tags: Map<string, string>;
  /** every manifest request, with its Accept and Authorization headers */
  seen: { method: string; path: string; accept: string; authorization: string }[];
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the Registry v2 API for manifests, with token auth as Docker Hub
 * and Distribution do it: /v2/<name>/manifests/<ref> answers 401 with a Bearer challenge until a
 * token from /token (Basic credentials `user:pass`) is sent; then the digest in
 * Docker-Content-Digest, when Accept names a manifest media type the tag has.
 */
export async function startLocalRegistry(
  credentials = { user: 'ci', pass: 'secret' },
): Promise<LocalRegistry> {
  const tags = new Map<string, string>();
  const seen: LocalRegistry['seen'] = [];
  const token = 'registry-token-1';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      const basic = `Basic ${Buffer.from(`${credentials.user}:${credentials.pass}`).toString('base64')}`;
      if (req.headers.authorization !== basic || !url.searchParams.get('scope')?.startsWith('repository:')) {
        res.writeHead(401).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, path = '', ref = ''] = m;
    seen.push({
      method: req.method ?? '',
      path: `${path}:${ref}`,
      accept: req.headers.accept ?? '',
      authorization: req.headers.authorization ?? '',
    });
    if (req.headers.authorization !== `Bearer ${token}`) {
      const host = `http://${req.headers.host}`;
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${host}/token",service="local-registry",scope="repository:${path}:pull"`,
        })
        .end();
      return;
    }
    const digest = tags.get(`${path}:${decodeURIComponent(ref)}`);
    if (!digest || !/application\/vnd\.(oci|docker)\./.test(req.headers.accept ?? '')) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        'docker-content-digest': digest,
        'content-type': 'application/vnd.oci.image.index.v1+json',
      })
      .end(req.method === 'HEAD' ? undefined : '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    tags,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
