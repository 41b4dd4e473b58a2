import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { imageVersion, mapImage } from './image.ts';

test('image: the repository stays, the tag goes to the report and the version', () => {
  const svc = { image: 'registry.example.com/team/web:1.4.2' };
  const r = runMappers([mapImage], svc);
  assert.equal(r.m.image, 'registry.example.com/team/web');
  assert.equal(imageVersion(svc), '1.4.2');
  assert.equal(r.at('image')?.outcome, 'approximated');
  assert.match(r.at('image')?.note ?? '', /ferry deploy web:1\.4\.2/);
  const plain = runMappers([mapImage], { image: 'nginx' });
  assert.equal(plain.at('image')?.outcome, 'mapped');
  assert.equal(imageVersion({ image: 'nginx' }), undefined);
});

test('build: without an image, the service name is the image to push; with one, build is dropped', () => {
  const built = runMappers([mapImage], { build: '.' });
  assert.equal(built.m.image, 'web');
  assert.equal(built.at('build')?.outcome, 'approximated');
  const both = runMappers([mapImage], { build: '.', image: 'x/web' });
  assert.equal(both.at('build')?.outcome, 'dropped');
});
