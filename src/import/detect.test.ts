import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FerryError, InvalidInputError } from '../errors.ts';
import { detectFormat, detectValue, formatHint } from './detect.ts';
import { importFiles } from './index.ts';

test('each format is recognised by its shape', () => {
  assert.equal(detectValue({ services: { a: { image: 'x' } } }), 'compose');
  assert.equal(detectValue({ id: '/a', cmd: 'x', instances: 1 }), 'marathon');
  assert.equal(detectValue({ apps: [{ id: 'a', cpus: 1 }] }), 'marathon');
  assert.equal(detectValue({ name: 'j', command: 'x', schedule: 'R//PT1M' }), 'chronos');
  assert.equal(detectValue({ AWSEBDockerrunVersion: 2, containerDefinitions: [] }), 'beanstalk');
  assert.equal(detectValue({ apiVersion: 'apps/v1', kind: 'Deployment' }), 'kubernetes');
  assert.equal(detectValue({ ingress: { host: 'keel.example.com' } }), undefined);
});

test('a file in none of the formats names the formats tried (exit 2)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-detect-'));
  const f = join(dir, 'values.yml');
  await writeFile(f, 'ingress:\n  host: keel.example.com\n');
  await assert.rejects(detectFormat([f]), (e: unknown) => {
    assert.ok(e instanceof InvalidInputError);
    assert.equal(e.kind, 'invalid');
    assert.match(e.message, /compose, marathon, chronos, beanstalk, kubernetes/);
    assert.deepEqual(e.issues[0]?.loc, { file: f, line: 1, col: 1 });
    return true;
  });
});

test('a malformed file gives file:line:col', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-detect-'));
  const f = join(dir, 'app.json');
  await writeFile(f, '{\n  "id": "a",\n  "cpus": 1,,\n}\n');
  await assert.rejects(importFiles([f], 'marathon'), (e: unknown) => {
    assert.ok(e instanceof InvalidInputError);
    assert.equal(e.issues[0]?.loc?.line, 3);
    return true;
  });
});

test('a missing file is "no such file" (exit 2), not an unknown format', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-detect-'));
  const f = join(dir, 'nothere.yaml');
  for (const run of [() => detectFormat([f]), () => importFiles([f], 'compose')])
    await assert.rejects(run(), (e: unknown) => {
      assert.ok(e instanceof FerryError);
      assert.equal(e.kind, 'not-found');
      assert.equal(e.message, `${f}: no such file`);
      assert.doesNotMatch(e.message, /YAML or JSON|format/);
      return true;
    });
});

test('broken JSON is a located parse error ("invalid JSON"), with or without --from', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-detect-'));
  const f = join(dir, 'x.json');
  await writeFile(f, '{"a": 1\n');
  for (const run of [() => detectFormat([f]), () => importFiles([f], 'marathon')])
    await assert.rejects(run(), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.equal(e.kind, 'invalid');
      assert.doesNotMatch(e.message, /format/);
      assert.deepEqual(e.issues[0]?.loc, { file: f, line: 2, col: 1 });
      assert.match(e.issues[0]?.message ?? '', /^invalid JSON: /);
      return true;
    });
});

test('an unknown --from gets a did-you-mean', () => {
  assert.equal(formatHint('marathn'), 'did you mean "marathon"?');
  assert.equal(formatHint('kubernets'), 'did you mean "kubernetes"?');
  assert.match(formatHint('xyz'), /^use compose, swarm, marathon/);
});
