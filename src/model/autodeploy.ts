// The auto-deploy policy of one service in one environment, from the manifest: the service's own
// `autoDeploy:` (its environment overlay first), else the platform environment's, else off.
// The grammar is checked by the schema; this turns it into data the engine matches tags against.
import type { LoadedApp } from '../manifest/load.ts';
import { segmentRegex } from '../manifest/glob.ts';
import type { ServiceManifest } from '../manifest/schema.ts';
import { effectiveManifest } from './effective.ts';

export const SEMVER_LEVELS = ['patch', 'minor', 'major', 'all'] as const;
export type SemverLevel = (typeof SEMVER_LEVELS)[number];

export type AutoDeployPolicy =
  | { kind: 'off' }
  /** a higher semver version within the level; pre-releases only with `prereleases` (always for all) */
  | { kind: 'semver'; level: SemverLevel; prereleases: boolean }
  /** a tag the pattern matches (a whole-tag glob with * and ?) */
  | { kind: 'glob'; pattern: string; re: RegExp }
  /** a tag the regular expression finds a match in */
  | { kind: 'regexp'; source: string; re: RegExp }
  /** any new tag; the same tag pushed again deploys by its new digest */
  | { kind: 'force' };

export type AutoDeployValue = NonNullable<ServiceManifest['autoDeploy']>;

export function parseAutoDeploy(v: AutoDeployValue | undefined): AutoDeployPolicy {
  if (v === undefined) return { kind: 'off' };
  const text = typeof v === 'string' ? v : v.policy;
  const pre = typeof v === 'string' ? false : v.prereleases === true;
  if (text === 'off') return { kind: 'off' };
  if (text === 'force') return { kind: 'force' };
  if (text.startsWith('glob:')) {
    const pattern = text.slice('glob:'.length);
    return { kind: 'glob', pattern, re: segmentRegex(pattern) };
  }
  if (text.startsWith('regexp:')) {
    const source = text.slice('regexp:'.length);
    return { kind: 'regexp', source, re: new RegExp(source) };
  }
  const level = SEMVER_LEVELS.find((l) => l === text);
  if (!level) return { kind: 'off' };
  return { kind: 'semver', level, prereleases: level === 'all' || pre };
}

/** How a policy reads, for status lines and JSON. */
export function describePolicy(p: AutoDeployPolicy): string {
  switch (p.kind) {
    case 'off':
    case 'force':
      return p.kind;
    case 'glob':
      return `glob:${p.pattern}`;
    case 'regexp':
      return `regexp:${p.source}`;
    case 'semver':
      return p.prereleases && p.level !== 'all' ? `${p.level} (with pre-releases)` : p.level;
  }
}

export interface ResolvedAutoDeploy {
  policy: AutoDeployPolicy;
  /** where it was written */
  from: 'service' | 'environment' | 'default';
}

export function autoDeployOf(app: LoadedApp, service: string, environment: string): ResolvedAutoDeploy {
  const s = app.services.find((x) => x.name === service);
  const own = s ? effectiveManifest(s.manifest, environment).autoDeploy : undefined;
  if (own !== undefined) return { policy: parseAutoDeploy(own), from: 'service' };
  const env = app.platform.manifest.environments[environment]?.autoDeploy;
  if (env !== undefined) return { policy: parseAutoDeploy(env), from: 'environment' };
  return { policy: { kind: 'off' }, from: 'default' };
}
