import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { globDirs, hasGlob } from './glob.ts';

const root = mkdtempSync(join(tmpdir(), 'ferry-glob-'));
after(() => rmSync(root, { recursive: true, force: true }));
for (const d of [
  'services/a',
  'services/b',
  'services/.hidden',
  'services/node_modules/x',
  'apps/x/api',
  'apps/y/api',
  'apps/y/web',
]) {
  mkdirSync(join(root, d), { recursive: true });
}

test('*, ? and ** match folders; hidden folders and node_modules are skipped', () => {
  const rel = (p: string): string[] => globDirs(root, p).map((d) => d.slice(root.length + 1));
  assert.deepEqual(rel('services/*'), ['services/a', 'services/b']);
  assert.deepEqual(rel('services/?'), ['services/a', 'services/b']);
  assert.deepEqual(rel('apps/*/api'), ['apps/x/api', 'apps/y/api']);
  assert.deepEqual(rel('apps/**/web'), ['apps/y/web']);
  assert.deepEqual(rel('services/a'), ['services/a']);
  assert.deepEqual(rel('nope/*'), []);
  assert.equal(hasGlob('services/*'), true);
  assert.equal(hasGlob('services/a'), false);
});
