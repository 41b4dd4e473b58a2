import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseCacheDirFrom, setParseCacheDir } from './parse-cache.ts';
import { parseYaml } from './parse.ts';

const root = mkdtempSync(join(tmpdir(), 'ferry-parse-cache-'));
let dir = '';
let n = 0;
beforeEach(() => {
  dir = join(root, String(++n));
  setParseCacheDir(dir);
});
after(() => {
  setParseCacheDir(undefined);
  rmSync(root, { recursive: true, force: true });
});
const entries = () => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
};

const text = `service: web
image: ghcr.io/acme/web
port: 8080
environments:
  prod: { instances: 3 }
crons:
  - { name: sync, schedule: '0 2 * * *', command: sync }
`;

test('a second parse of the same text is a hit: the same value, and positions parsed on demand', () => {
  const fresh = parseYaml(text, 'a/ferry.yaml', true);
  assert.equal(entries().length, 1);
  const hit = parseYaml(text, 'b/ferry.yaml', true);
  assert.equal(entries().length, 1);
  assert.deepEqual(hit.value, fresh.value);
  assert.notEqual(hit.value, fresh.value, 'each parse gets its own objects');
  assert.deepEqual(hit.issues, []);
  // the positions are the file's own, not the first file's
  assert.deepEqual(hit.locate(['crons', 0, 'schedule']), {
    ...fresh.locate(['crons', 0, 'schedule']),
    file: 'b/ferry.yaml',
  });
  assert.deepEqual(hit.locate(['environments', 'prod', 'instances']), {
    file: 'b/ferry.yaml',
    line: 5,
    col: 22,
  });
});

test('a file with problems is never kept; a value JSON cannot hold exactly is not kept', () => {
  const bad = parseYaml('a: 1\na: 2\n', 'x.yaml', true);
  assert.equal(bad.issues.length, 1);
  assert.equal(entries().length, 0);
  parseYaml('a: .inf\nb: -0\n', 'x.yaml', true);
  assert.equal(entries().length, 0);
  const again = parseYaml('a: .inf\nb: -0\n', 'x.yaml', true);
  assert.deepEqual(again.value, { a: Infinity, b: -0 });
});

test('a damaged entry is a miss and is written again; a cache that cannot be written changes nothing', () => {
  parseYaml(text, 'f.yaml', true);
  const [entry] = entries();
  writeFileSync(join(dir, entry!), '{"val');
  const v = parseYaml(text, 'f.yaml', true);
  assert.equal((v.value as { port: number }).port, 8080);
  assert.equal(entries().length, 1, 'the damaged entry was replaced');
  writeFileSync(join(root, 'a-file'), '');
  setParseCacheDir(join(root, 'a-file', 'below'));
  assert.equal((parseYaml(text, 'f.yaml', true).value as { port: number }).port, 8080);
});

test('a hit gives exactly what the parser gives, for any JSON-shaped document', () => {
  const scalar = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('yes', 'no', '0x1F', '0o17', '1_000', '2024-01-01', '~', '.inf', '+.5', '0b101'),
  );
  const doc = fc.dictionary(
    fc.string({ minLength: 1 }),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1 }), scalar)),
  );
  fc.assert(
    fc.property(doc, fc.boolean(), (d, flow) => {
      const yamlText = stringify(d, { collectionStyle: flow ? 'flow' : 'block' });
      setParseCacheDir(undefined);
      const fresh = parseYaml(yamlText, 'p.yaml', true);
      setParseCacheDir(dir);
      parseYaml(yamlText, 'p.yaml', true);
      const hit = parseYaml(yamlText, 'p.yaml', true);
      assert.deepEqual(hit.value, fresh.value);
    }),
    { numRuns: 200 },
  );
});

test('a file parsed without `cached` (the server configuration, with its credentials) is never written', () => {
  parseYaml('github: { secret: s3cr3t }\n', 'server.yaml');
  parseYaml('github: { secret: s3cr3t }\n', 'server.yaml');
  assert.equal(entries().length, 0);
  parseYaml(text, 'ferry.yaml', true);
  const [entry] = entries();
  assert.equal(statSync(join(dir, entry!)).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('the directory comes from FERRY_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache; off turns it off', () => {
  assert.equal(parseCacheDirFrom({ FERRY_CACHE_DIR: '/c' }), '/c');
  assert.equal(parseCacheDirFrom({ FERRY_CACHE_DIR: 'off', HOME: '/h' }), undefined);
  assert.equal(parseCacheDirFrom({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/ferry/manifests');
  assert.equal(parseCacheDirFrom({ HOME: '/h' }), '/h/.cache/ferry/manifests');
  assert.equal(parseCacheDirFrom({}), undefined);
});
