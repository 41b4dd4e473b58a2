import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAutoDeploy } from '../../model/autodeploy.ts';
import { admit, isNewer, splitVersion } from './policy.ts';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const push = (tag: string, digest?: string) => ({ tag, digest });
const yes = (v: ReturnType<typeof admit>) => (v.deploy ? v.version : `no: ${v.why}`);

test('patch, minor and major take higher versions within their level, never lower ones', () => {
  const patch = parseAutoDeploy('patch');
  const minor = parseAutoDeploy('minor');
  const major = parseAutoDeploy('major');
  assert.equal(yes(admit(patch, '1.2.3', push('1.2.4'))), '1.2.4');
  assert.match(yes(admit(patch, '1.2.3', push('1.3.0'))), /more than a patch/);
  assert.equal(yes(admit(minor, '1.2.3', push('1.3.0'))), '1.3.0');
  assert.match(yes(admit(minor, '1.2.3', push('2.0.0'))), /new major/);
  assert.equal(yes(admit(major, '1.2.3', push('2.0.0'))), '2.0.0');
  assert.match(yes(admit(major, '1.2.3', push('1.2.2'))), /never goes down/);
  assert.match(yes(admit(minor, '1.2.3', push('1.2.3'))), /already runs/);
  assert.equal(yes(admit(minor, 'v1.2.3', push('v1.4.0'))), 'v1.4.0');
});

test('pre-releases only when asked; all includes them', () => {
  assert.match(yes(admit(parseAutoDeploy('minor'), '1.2.3', push('1.3.0-rc.1'))), /pre-release/);
  assert.equal(
    yes(admit(parseAutoDeploy({ policy: 'minor', prereleases: true }), '1.2.3', push('1.3.0-rc.1'))),
    '1.3.0-rc.1',
  );
  assert.equal(yes(admit(parseAutoDeploy('all'), '1.2.3', push('2.0.0-beta.1'))), '2.0.0-beta.1');
  assert.match(yes(admit(parseAutoDeploy('all'), '1.2.3', push('1.2.3-rc.1'))), /never goes down/);
});

test('semver policies refuse tags that are not semver', () => {
  assert.match(yes(admit(parseAutoDeploy('minor'), '1.2.3', push('latest'))), /not a semver/);
  assert.match(yes(admit(parseAutoDeploy('minor'), 'main-abc', push('1.0.0'))), /not semver/);
});

test('glob and regexp match the tag; a semver downgrade is still refused', () => {
  const glob = parseAutoDeploy('glob:release-*');
  assert.equal(yes(admit(glob, 'release-1', push('release-2'))), 'release-2');
  assert.match(yes(admit(glob, 'release-1', push('feature-2'))), /does not match/);
  const re = parseAutoDeploy('regexp:^sha-[0-9a-f]{7}$');
  assert.equal(yes(admit(re, 'sha-0000000', push('sha-1234abc'))), 'sha-1234abc');
  assert.match(yes(admit(re, 'sha-0000000', push('sha-12'))), /does not match/);
  assert.match(yes(admit(parseAutoDeploy('glob:*'), '2.0.0', push('1.9.0'))), /never goes down/);
});

test('force: a new tag deploys; the same tag deploys only by a new digest', () => {
  const force = parseAutoDeploy('force');
  assert.equal(yes(admit(force, 'dev', push('dev', D1))), `dev@${D1}`);
  assert.equal(yes(admit(force, `dev@${D1}`, push('dev', D2))), `dev@${D2}`);
  assert.match(yes(admit(force, `dev@${D1}`, push('dev', D1))), /already runs/);
  assert.match(yes(admit(force, 'dev', push('dev'))), /no digest|neither/);
  assert.equal(yes(admit(force, 'dev', push('main'))), 'main');
});

test('off, or nothing deployed yet: no auto-deploy', () => {
  assert.match(yes(admit(parseAutoDeploy('off'), '1.0.0', push('1.0.1'))), /off/);
  assert.match(yes(admit(parseAutoDeploy(undefined), '1.0.0', push('1.0.1'))), /off/);
  assert.match(yes(admit(parseAutoDeploy('minor'), undefined, push('1.0.1'))), /by hand/);
});

test('newer than the bad version: semver order, else another tag or digest', () => {
  assert.equal(isNewer(splitVersion('1.3.0'), push('1.3.1')), true);
  assert.equal(isNewer(splitVersion('1.3.0'), push('1.2.9')), false);
  assert.equal(isNewer(splitVersion('1.3.0'), push('1.3.0')), false);
  assert.equal(isNewer(splitVersion(`dev@${D1}`), push('dev', D2)), true);
  assert.equal(isNewer(splitVersion(`dev@${D1}`), push('dev', D1)), false);
  assert.deepEqual(splitVersion(`1.0.0@${D1}`), { tag: '1.0.0', digest: D1 });
});
