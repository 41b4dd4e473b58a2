// ferry import as a process: files written, validate accepts them, -o json, exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ferry, tempDir } from '../testing.ts';

const dir = (): string => tempDir('ferry-import-cli-');

const STACK = `services:
  api:
    image: registry.example.com/api:\${TAG:-2.1.0}
    ports: ["8080"]
    deploy: { replicas: 2 }
    depends_on: [db]
`;

test('import writes ferry.yaml, a platform file and the report; validate accepts them', async () => {
  const d = dir();
  writeFileSync(join(d, 'stack.yml'), STACK);
  const out = join(d, 'services');
  const r = await ferry('import', join(d, 'stack.yml'), '--out', out, '--var', 'X=1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 1 service from compose/);
  assert.match(r.stdout, /dropped +services\.api\.depends_on/);
  const text = readFileSync(join(out, 'api', 'ferry.yaml'), 'utf8');
  assert.match(text, /^# yaml-language-server: \$schema=https:\/\/ferry\.dev\/schema\/ferry\.schema\.json\n/);
  assert.match(text, /ferry deploy api:2\.1\.0/);
  assert.ok(existsSync(join(out, 'ferry.platform.yaml')));
  const report = JSON.parse(readFileSync(join(out, 'ferry-import-report.json'), 'utf8')) as {
    summary: { dropped: number };
  };
  assert.equal(report.summary.dropped, 1);
  const v = await ferry('validate', out);
  assert.equal(v.code, 0, v.stderr);
  // a second import refuses to overwrite without --force
  const again = await ferry('import', join(d, 'stack.yml'), '--out', out);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /would overwrite/);
});

test('import -o json prints one JSON document; --dry-run writes nothing', async () => {
  const d = dir();
  writeFileSync(join(d, 'stack.yml'), STACK);
  const r = await ferry('import', join(d, 'stack.yml'), '--dry-run', '-o', 'json', '--out', join(d, 'out'));
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    format: string;
    services: { name: string; version: string }[];
    written: unknown;
  };
  assert.equal(doc.format, 'compose');
  assert.deepEqual(
    doc.services.map((s) => [s.name, s.version]),
    [['api', '2.1.0']],
  );
  assert.equal(doc.written, null);
  assert.ok(!existsSync(join(d, 'out')));
});

test('a file in none of the formats: exit 2 naming the formats tried', async () => {
  const d = dir();
  writeFileSync(join(d, 'values.yml'), 'ingress:\n  host: keel.example.com\n');
  const r = await ferry('import', join(d, 'values.yml'));
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /values\.yml:1:1: not a file ferry can import: tried compose, marathon, chronos, beanstalk, kubernetes/,
  );
  const bad = await ferry('import', '--from', 'nomad', join(d, 'values.yml'));
  assert.equal(bad.code, 2);
});

test('import --out inside a project writes no nested platform file and warns about missing environments', async () => {
  const d = dir();
  writeFileSync(join(d, 'stack.yml'), STACK);
  writeFileSync(
    join(d, 'ferry.platform.yaml'),
    "services: ['services/*']\nenvironments:\n  test: { domain: test.example.com }\n",
  );
  const out = join(d, 'services');
  const r = await ferry('import', join(d, 'stack.yml'), '--out', out, '--env', 'prod');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(out, 'ferry.platform.yaml')), 'no nested platform file');
  assert.match(r.stdout, /kept .*ferry\.platform\.yaml/);
  assert.match(
    r.stderr,
    /warning: .*ferry\.platform\.yaml has no environment prod: add it under environments: \(prod: \{\}\)/,
  );
  // with the environment added, the project validates with the imported service
  writeFileSync(
    join(d, 'ferry.platform.yaml'),
    "services: ['services/*']\nenvironments:\n  test: { domain: test.example.com }\n  prod: { domain: example.com }\n",
  );
  const v = await ferry('validate', d);
  assert.equal(v.code, 0, v.stderr);
  // environments the platform already declares: no warning
  const again = await ferry('import', join(d, 'stack.yml'), '--out', out, '--force', '--env', 'prod');
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /warning/);
});

test('import --from with a typo: exit 2 with a did-you-mean; a missing file: "no such file"', async () => {
  const d = dir();
  writeFileSync(join(d, 'stack.yml'), STACK);
  const r = await ferry('import', join(d, 'stack.yml'), '--from', 'marathn', '--dry-run');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown format "marathn" \(did you mean "marathon"\?\)/);
  const m = await ferry('import', join(d, 'nothere.yaml'), '--dry-run');
  assert.equal(m.code, 2);
  assert.match(m.stderr, /nothere\.yaml: no such file/);
  assert.doesNotMatch(m.stderr, /cannot tell the format/);
});
