// The registries' push notifications, each in its documented shape, read into one form: which
// repository (host and path), which tag, which digest when the payload has one, and the
// delivery's id (the provider's, or the body's digest when it sends none, so a replay is still
// one delivery). Sources: research/platform-webhooks.md §2.
//   dockerhub     {push_data: {tag, pushed_at}, repository: {repo_name}}: no digest, no id
//   distribution  {events: [{id, action, target: {mediaType, digest, repository, tag}, request: {host}}]}
//   harbor        {type: PUSH_ARTIFACT, event_data: {resources: [{digest, tag, resource_url}], repository: {repo_full_name}}}
//   ghcr          X-GitHub-Event package | registry_package, {action: published|updated,
//                 <package|registry_package>: {namespace, name, package_type, package_version:
//                 {container_metadata: {tag: {name, digest}}}}}
//   quay          {repository: ns/name, docker_url: quay.io/ns/name, updated_tags: [..] (or an old {tag: image} map)}
import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { bodyDigest } from '../signature.ts';

export const REGISTRY_PROVIDERS = ['dockerhub', 'distribution', 'harbor', 'ghcr', 'quay'] as const;
export type RegistryProvider = (typeof REGISTRY_PROVIDERS)[number];

export interface ParsedPush {
  host: string | undefined;
  path: string;
  tag: string;
  digest: string | undefined;
}

export interface RegistryDelivery {
  provider: RegistryProvider;
  id: string;
  /** the provider's event name, for the audit */
  event: string;
  /** what was pushed with a tag; empty for pings, pulls, deletes and untagged manifests */
  pushes: ParsedPush[];
  /** why nothing here deploys, when pushes is empty */
  note: string | undefined;
}

export interface RawDelivery {
  body: string;
  headers: Headers;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const digestOf = (d: string | undefined | null): string | undefined => (d && DIGEST.test(d) ? d : undefined);

function payloadError(provider: RegistryProvider, e: z.ZodError): InvalidInputError {
  const issues = e.issues.map((i) => ({
    path: ['body', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new InvalidInputError(
    issues,
    `not a ${provider} push notification: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    'E_BAD_REQUEST',
  );
}

function json(provider: RegistryProvider, body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new InvalidInputError(
      [{ path: 'body', message: e instanceof Error ? e.message : String(e) }],
      `a ${provider} notification must be JSON`,
      'E_BAD_REQUEST',
    );
  }
}

function read<T>(provider: RegistryProvider, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw payloadError(provider, r.error);
  return r.data;
}

/** `host/a/b:tag` or `host/a/b@sha256:…` → its host (when the first part names one). */
function hostOf(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const first = reference.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

const dockerhub = z.object({
  push_data: z.object({ tag: z.string().min(1), pushed_at: z.number().optional() }),
  repository: z.object({ repo_name: z.string().min(1) }),
});

const distribution = z.object({
  events: z.array(
    z.object({
      id: z.string().min(1),
      action: z.string(),
      target: z
        .object({
          mediaType: z.string().optional(),
          digest: z.string().optional(),
          repository: z.string().optional(),
          tag: z.string().optional(),
          url: z.string().optional(),
        })
        .optional(),
      request: z.object({ host: z.string().optional() }).optional(),
    }),
  ),
});

const harbor = z.object({
  type: z.string(),
  occur_at: z.number().optional(),
  event_data: z.object({
    resources: z
      .array(
        z.object({
          digest: z.string().optional(),
          tag: z.string().optional(),
          resource_url: z.string().optional(),
        }),
      )
      .optional(),
    repository: z.object({ repo_full_name: z.string().min(1) }),
  }),
});

const ghcrPackage = z.object({
  namespace: z.string().optional(),
  name: z.string().min(1),
  package_type: z.string(),
  owner: z.object({ login: z.string() }).optional(),
  registry: z.object({ url: z.string().optional() }).nullable().optional(),
  package_version: z
    .object({
      container_metadata: z
        .object({
          tag: z.object({ name: z.string().optional(), digest: z.string().optional() }).nullable().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});
const ghcr = z.object({
  action: z.string(),
  package: ghcrPackage.optional(),
  registry_package: ghcrPackage.optional(),
});

const quay = z.object({
  repository: z.string().min(1),
  docker_url: z.string().optional(),
  updated_tags: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]),
});

const MANIFEST_TYPES = /manifest|image\.index|manifest\.list/;

function parseDockerhub(body: string): RegistryDelivery {
  const p = read('dockerhub', dockerhub, json('dockerhub', body));
  return {
    provider: 'dockerhub',
    id: bodyDigest(body),
    event: 'push',
    pushes: [{ host: 'docker.io', path: p.repository.repo_name, tag: p.push_data.tag, digest: undefined }],
    note: undefined,
  };
}

function parseDistribution(body: string): RegistryDelivery {
  const p = read('distribution', distribution, json('distribution', body));
  const pushes: ParsedPush[] = [];
  for (const e of p.events) {
    const t = e.target;
    // one push sends events for every layer and manifest: only tagged manifests are images
    if (e.action !== 'push' || !t?.tag || !t.repository) continue;
    if (t.mediaType && !MANIFEST_TYPES.test(t.mediaType)) continue;
    pushes.push({
      host: e.request?.host ?? hostOf(t.url),
      path: t.repository,
      tag: t.tag,
      digest: digestOf(t.digest),
    });
  }
  return {
    provider: 'distribution',
    // the envelope has no id of its own; its events do
    id: p.events.length > 0 ? p.events.map((e) => e.id).join(',') : bodyDigest(body),
    event: 'events',
    pushes,
    note: pushes.length ? undefined : 'no tagged manifest push in the envelope',
  };
}

function parseHarbor(body: string): RegistryDelivery {
  const p = read('harbor', harbor, json('harbor', body));
  const pushes: ParsedPush[] = [];
  if (p.type === 'PUSH_ARTIFACT')
    for (const r of p.event_data.resources ?? []) {
      // robot-account and proxy-cache pushes put the digest where the tag goes (goharbor/harbor#20939)
      if (!r.tag || DIGEST.test(r.tag)) continue;
      pushes.push({
        host: hostOf(r.resource_url),
        path: p.event_data.repository.repo_full_name,
        tag: r.tag,
        digest: digestOf(r.digest),
      });
    }
  return {
    provider: 'harbor',
    id: bodyDigest(body),
    event: p.type,
    pushes,
    note: pushes.length
      ? undefined
      : p.type === 'PUSH_ARTIFACT'
        ? 'no tag in the push'
        : `${p.type} deploys nothing`,
  };
}

function parseGhcr(raw: RawDelivery): RegistryDelivery {
  const event = raw.headers.get('x-github-event') ?? '';
  const id = raw.headers.get('x-github-delivery') ?? bodyDigest(raw.body);
  const none = (note: string): RegistryDelivery => ({ provider: 'ghcr', id, event, pushes: [], note });
  if (event === 'ping') return none('ping');
  if (event !== 'package' && event !== 'registry_package')
    return none(`GitHub event ${event || '(none)'} is not a package event`);
  const p = read('ghcr', ghcr, json('ghcr', raw.body));
  const pkg = p.registry_package ?? p.package;
  if (!pkg)
    throw payloadError(
      'ghcr',
      new z.ZodError([{ code: 'custom', path: [event], message: 'missing', input: p }]),
    );
  if (p.action !== 'published' && p.action !== 'updated') return none(`action ${p.action} deploys nothing`);
  if (pkg.package_type.toLowerCase() !== 'container' && pkg.package_type.toLowerCase() !== 'docker')
    return none(`a ${pkg.package_type} package is not an image`);
  const tag = pkg.package_version?.container_metadata?.tag;
  // a multi-arch push sends an event per manifest; the platform ones carry no tag
  if (!tag?.name) return none('a manifest without a tag');
  const owner = (pkg.namespace ?? pkg.owner?.login ?? '').toLowerCase();
  return {
    provider: 'ghcr',
    id,
    event: `${event}.${p.action}`,
    pushes: [
      {
        host: hostOf(pkg.registry?.url) ?? 'ghcr.io',
        path: `${owner}/${pkg.name.toLowerCase()}`,
        tag: tag.name,
        digest: digestOf(tag.digest),
      },
    ],
    note: undefined,
  };
}

function parseQuay(body: string): RegistryDelivery {
  const p = read('quay', quay, json('quay', body));
  const tags = Array.isArray(p.updated_tags) ? p.updated_tags : Object.keys(p.updated_tags);
  const host = hostOf(p.docker_url);
  return {
    provider: 'quay',
    id: bodyDigest(body),
    event: 'repo_push',
    pushes: tags.map((tag) => ({ host, path: p.repository, tag, digest: undefined })),
    note: tags.length ? undefined : 'no updated tags',
  };
}

export function parseRegistryDelivery(provider: RegistryProvider, raw: RawDelivery): RegistryDelivery {
  switch (provider) {
    case 'dockerhub':
      return parseDockerhub(raw.body);
    case 'distribution':
      return parseDistribution(raw.body);
    case 'harbor':
      return parseHarbor(raw.body);
    case 'ghcr':
      return parseGhcr(raw);
    case 'quay':
      return parseQuay(raw.body);
  }
}
