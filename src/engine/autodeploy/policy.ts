// Whether a pushed tag may replace what runs, under one policy (docs/autodeploy.md). Pure: the
// running version, the push, the policy in; a verdict with its reason out. The pause after a
// rollback and the never-retried failed versions are the history's part (state.ts).
import semver from 'semver';
import type { AutoDeployPolicy } from '../../model/autodeploy.ts';

/** A pushed image: its tag, and its digest when the payload or the registry said it. */
export interface PushedImage {
  tag: string;
  digest: string | undefined;
}

export type Verdict = { deploy: true; version: string; why: string } | { deploy: false; why: string };

/** A recorded version is a tag, optionally pinned: `1.4.0@sha256:…`. */
export function splitVersion(version: string): PushedImage {
  const at = version.indexOf('@');
  return at < 0
    ? { tag: version, digest: undefined }
    : { tag: version.slice(0, at), digest: version.slice(at + 1) };
}

export function pinned(p: PushedImage): string {
  return p.digest ? `${p.tag}@${p.digest}` : p.tag;
}

const parse = (tag: string) => semver.parse(tag);

/** Lower in semver terms (false when either is not semver: no order to break). */
export function isDowngrade(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to);
  return a !== null && b !== null && semver.lt(b, a);
}

/** `to` is a newer image than `bad`: a higher semver, or (no order) another tag or digest. */
export function isNewer(bad: PushedImage, to: PushedImage): boolean {
  const a = parse(bad.tag);
  const b = parse(to.tag);
  if (a && b) return semver.gt(b, a);
  if (to.tag !== bad.tag) return true;
  return to.digest !== undefined && to.digest !== bad.digest;
}

function semverVerdict(
  p: Extract<AutoDeployPolicy, { kind: 'semver' }>,
  current: string,
  tag: string,
): Verdict {
  const cur = parse(current);
  const next = parse(tag);
  if (!next)
    return { deploy: false, why: `${tag} is not a semver version (the ${p.level} policy needs one)` };
  if (!cur)
    return { deploy: false, why: `the running version ${current} is not semver: nothing to compare with` };
  if (next.prerelease.length > 0 && !p.prereleases)
    return {
      deploy: false,
      why: `${tag} is a pre-release; the ${p.level} policy takes them only when asked`,
    };
  if (!semver.gt(next, cur)) return { deploy: false, why: `${tag} is not newer than ${current}` };
  if (p.level === 'patch' && (next.major !== cur.major || next.minor !== cur.minor))
    return { deploy: false, why: `${tag} is more than a patch on ${current}` };
  if (p.level === 'minor' && next.major !== cur.major)
    return { deploy: false, why: `${tag} is a new major version after ${current}` };
  return {
    deploy: true,
    version: tag,
    why: `${tag} is a ${p.level === 'all' ? 'newer' : p.level} update of ${current}`,
  };
}

/**
 * The verdict for one push under `policy`, with `current` the version running (the last
 * successful release). Nothing deployed yet: no auto-deploy (the first deploy is a person's).
 */
export function admit(policy: AutoDeployPolicy, current: string | undefined, push: PushedImage): Verdict {
  if (policy.kind === 'off') return { deploy: false, why: 'auto-deploy is off' };
  if (current === undefined)
    return { deploy: false, why: 'nothing is deployed yet: the first deploy is made by hand' };
  const cur = splitVersion(current);
  if (push.tag === cur.tag) {
    if (policy.kind !== 'force') return { deploy: false, why: `${push.tag} already runs` };
    if (!push.digest)
      return {
        deploy: false,
        why: `${push.tag} was pushed again, and neither the payload nor a registry API gave its digest`,
      };
    if (push.digest === cur.digest) return { deploy: false, why: `${pinned(push)} already runs` };
    return { deploy: true, version: pinned(push), why: `${push.tag} was pushed again: deployed by digest` };
  }
  if (isDowngrade(cur.tag, push.tag))
    return { deploy: false, why: `${push.tag} is older than ${cur.tag}: auto-deploy never goes down` };
  switch (policy.kind) {
    case 'semver':
      return semverVerdict(policy, cur.tag, push.tag);
    case 'glob':
      return policy.re.test(push.tag)
        ? { deploy: true, version: push.tag, why: `${push.tag} matches glob:${policy.pattern}` }
        : { deploy: false, why: `${push.tag} does not match glob:${policy.pattern}` };
    case 'regexp':
      return policy.re.test(push.tag)
        ? { deploy: true, version: push.tag, why: `${push.tag} matches regexp:${policy.source}` }
        : { deploy: false, why: `${push.tag} does not match regexp:${policy.source}` };
    case 'force':
      return { deploy: true, version: pinned(push), why: `force: ${push.tag} is a new tag` };
  }
}
