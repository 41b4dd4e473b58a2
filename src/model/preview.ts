// A preview is an environment derived at run time from the platform's `previews:` template and a
// pull request: its own name (pr-<number>), namespace, domain and database, with the `from`
// environment's overlays and settings, and the overrides that make it cheap (one instance, spot,
// capped resources). Pure: the engine and the server build the Environment here and hand it to
// the same Deploy every environment uses.
import { FerryError } from '../errors.ts';
import type { Environment, Platform, Previews, Route, Workload } from './types.ts';

/** What a preview is made from: the pull request's number, head branch and head commit. */
export interface PullRequestRef {
  number: number;
  branch: string;
  headSha: string;
}

/** The environment name of the preview of pull request `n`. */
export const previewName = (n: number): string => `pr-${n}`;

/** The number of a preview environment name (`pr-12` → 12), or undefined. */
export function previewNumber(environment: string): number | undefined {
  const m = /^pr-(\d+)$/.exec(environment);
  return m ? Number(m[1]) : undefined;
}

/** A branch as a DNS label part: lowercase, [a-z0-9-], no leading/trailing "-", at most 50 characters. */
export function branchSlug(branch: string): string {
  return branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
}

function previewVariables(pr: PullRequestRef): Record<string, string> {
  return {
    number: String(pr.number),
    branch_slug: branchSlug(pr.branch),
    head_sha: pr.headSha,
    head_short_sha: pr.headSha.slice(0, 7),
  };
}

/** Fills ${number}, ${branch_slug}, ${head_sha}, ${head_short_sha} (the schema refused any other). */
export function fillPreviewTemplate(template: string, pr: PullRequestRef): string {
  const vars = previewVariables(pr);
  return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => vars[name.trim()] ?? whole);
}

/** The version a preview deploys when none is given: the tag CI pushes for the head commit. */
export function previewVersion(previews: Previews, pr: PullRequestRef): string {
  return fillPreviewTemplate(previews.version, pr);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The platform's previews, or E_NO_PREVIEWS saying where to add them. */
export function previewsOf(platform: Platform): Previews {
  if (!platform.previews)
    throw new FerryError('E_NO_PREVIEWS', 'the platform file has no previews: section', {
      hint: 'add previews: { from: <environment> } to ferry.platform.yaml (docs/previews.md)',
    });
  return platform.previews;
}

/** The environment of pull request `pr`'s preview. */
export function derivePreviewEnvironment(platform: Platform, pr: PullRequestRef): Environment {
  const p = previewsOf(platform);
  const base = platform.environments.find((e) => e.name === p.from);
  if (!base)
    throw new FerryError(
      'E_UNKNOWN_ENV',
      `previews.from names environment "${p.from}", which the platform does not define`,
    );
  const namespace = fillPreviewTemplate(p.namespace, pr);
  if (!DNS_LABEL.test(namespace))
    throw new FerryError(
      'E_INVALID_INPUT',
      `previews.namespace gives "${namespace}" for pull request ${pr.number}: not a DNS label`,
      {
        hint: 'use lowercase letters, digits and "-", at most 63 characters (e.g. "pr-${number}")',
      },
    );
  const { backing: fromBacking, ...rest } = base;
  const backing = p.backing ?? fromBacking;
  return {
    ...rest,
    ...(backing && backing.length > 0 ? { backing } : {}),
    name: previewName(pr.number),
    namespace,
    // ferry creates the namespace itself, labelled as its own, and deletes only such a one
    createNamespace: false,
    domain: p.domain === undefined ? undefined : fillPreviewTemplate(p.domain, pr),
    tls: p.tlsSecret ? { kind: 'wildcard', secretName: p.tlsSecret } : base.tls,
    protected: false,
    approvals: 0,
    preview: {
      number: pr.number,
      overrides: p.overrides,
      // ${service} stays for each service to fill
      host: p.host === undefined ? undefined : fillPreviewTemplate(p.host, pr),
    },
  };
}

/** A preview's routes: those on the default host (<service>.<domain>) move to previews.host. */
export function previewRoutes(routes: readonly Route[], service: string, env: Environment): Route[] {
  const host = env.preview?.host;
  if (!host || env.domain === undefined) return [...routes];
  const own = host.replace(/\$\{\s*service\s*\}/g, service);
  return routes.map((r) => (r.host === `${service}.${env.domain}` ? { ...r, host: own } : r));
}

/** The database (and role) of a preview: its own, named after the pull request. */
export const previewDatabase = (name: string, n: number): string => `${name}_pr_${n}`;

/** The overrides of a preview environment on a resolved workload; other workloads as they are. */
export function applyPreviewOverrides(w: Workload): Workload {
  const p = w.environment.preview;
  if (!p) return w;
  const o = p.overrides;
  const db = <T extends { database: string; user: string }>(f: T | undefined): T | undefined =>
    f && { ...f, database: previewDatabase(f.database, p.number), user: previewDatabase(f.user, p.number) };
  return {
    ...w,
    instances: w.daemon ? w.instances : o.instances,
    autoscale: undefined,
    resources: {
      cpuMillis: Math.min(w.resources.cpuMillis, o.resources.cpuMillis ?? Infinity),
      memoryBytes: Math.min(w.resources.memoryBytes, o.resources.memoryBytes ?? Infinity),
    },
    placement:
      o.spot && !w.placement.spot
        ? {
            ...w.placement,
            spot: true,
            nodeSelector: Object.fromEntries(
              Object.entries({ ...w.policy.spot.nodeSelector, ...w.placement.nodeSelector }).sort(
                ([a], [b]) => (a < b ? -1 : 1),
              ),
            ),
            tolerations: [...w.policy.spot.tolerations, ...w.placement.tolerations],
          }
        : w.placement,
    features: { ...w.features, postgres: db(w.features.postgres), mysql: db(w.features.mysql) },
  };
}
