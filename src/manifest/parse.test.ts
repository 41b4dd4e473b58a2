import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { FerryError, InvalidInputError, type Issue } from '../errors.ts';
import { parsePlatformManifest, parseServiceManifest, parseYaml } from './parse.ts';

function issuesOf(fn: () => unknown): readonly Issue[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInputError) return err.issues;
    throw err;
  }
  assert.fail('expected an InvalidInputError');
}

const VALID = `service: hcn
image: registry.example.com/anna/hcn
command: python /app/hcn/main.py
port: 8080
health: /healthz
resources: { cpu: 500m, memory: 512Mi }
environments:
  test: { instances: 2 }
  prod: { instances: 4 }
features: { rabbitmq: true, mongo: true, postgres: { database: hcn } }
migrations: { command: python manage.py migrate, down: python manage.py migrate hcn previous }
crons:
  - { name: sync-customers, schedule: "R//PT30M", command: python /app/account/sync.py }
routes:
  - { path: /api, public: true }
checks:
  - { name: smoke, command: pytest tests/smoke }
alerts: { replicas: true, errors5xx: "1%", latencyP99: 500ms }
secrets: { DB_PASSWORD: vault:secret/data/hcn#db_password }
`;

test('a valid manifest parses (DESIGN.md sketch)', () => {
  const { manifest, locate } = parseServiceManifest(VALID, 'ferry.yaml');
  assert.equal(manifest.service, 'hcn');
  assert.equal(manifest.environments?.prod?.instances, 4);
  assert.deepEqual(locate(['environments', 'prod', 'instances']), { file: 'ferry.yaml', line: 9, col: 22 });
  assert.deepEqual(locate(['crons', 0, 'schedule']), { file: 'ferry.yaml', line: 13, col: 39 });
});

test('every problem of a file at once, located, with the key path and did-you-mean', () => {
  const text = `service: hcn
image: registry.example.com/hcn
instnces: 2
resources: { cpu: abc, memroy: 1Gi }
port: "8080"
environments:
  prod: { instances: -1 }
crons:
  - name: a
    command: x
    concurrency: Forbid
`;
  const issues = issuesOf(() => parseServiceManifest(text, '/app/ferry.yaml'));
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
  assert.deepEqual(
    issues.map((i) => i.path),
    [
      'instnces',
      'resources.cpu',
      'resources.memroy',
      'port',
      'environments.prod.instances',
      'crons[0]',
      'crons[0].concurrency',
    ].map((p) => (p === 'crons[0]' ? 'crons[0].schedule' : p)),
  );
  assert.equal(byPath['instnces']?.hint, 'did you mean "instances"?');
  assert.deepEqual(byPath['instnces']?.loc, { file: '/app/ferry.yaml', line: 3, col: 1 });
  assert.equal(byPath['resources.memroy']?.hint, 'did you mean "memory"?');
  assert.deepEqual(byPath['resources.memroy']?.loc, { file: '/app/ferry.yaml', line: 4, col: 24 });
  assert.match(byPath['resources.cpu']?.message ?? '', /expected CPU like 500m.*got the string "abc"/);
  assert.equal(byPath['port']?.hint, 'remove the quotes');
  assert.match(byPath['environments.prod.instances']?.message ?? '', /at least 0, got the number -1/);
  assert.deepEqual(byPath['environments.prod.instances']?.loc, { file: '/app/ferry.yaml', line: 7, col: 22 });
  // missing key: located at its parent (the list item)
  assert.match(byPath['crons[0].schedule']?.message ?? '', /required key "schedule" is missing/);
  assert.deepEqual(byPath['crons[0].schedule']?.loc, { file: '/app/ferry.yaml', line: 9, col: 5 });
  assert.equal(byPath['crons[0].concurrency']?.hint, 'did you mean "forbid"?');
});

test('unions explain the branch that got furthest', () => {
  const text = 'service: a\nimage: b\nhealth: { pth: /x }\nfeatures: { postgres: yes }\n';
  const issues = issuesOf(() => parseServiceManifest(text, 'f.yaml'));
  assert.equal(issues[0]?.path, 'health.pth');
  assert.equal(issues[0]?.hint, 'did you mean "path"?');
  assert.equal(issues[1]?.path, 'features.postgres');
  assert.match(issues[1]?.message ?? '', /expected true or false or a map, got the string "yes"/);
  assert.equal(issues[1]?.hint, 'write true');
});

test('invalid record keys are located at the key', () => {
  const issues = issuesOf(() =>
    parseServiceManifest('service: a\nimage: b\nenvironments:\n  Prod: {}\n', 'f.yaml'),
  );
  assert.equal(issues.length, 1);
  assert.match(issues[0]?.message ?? '', /invalid key "Prod": expected a lowercase DNS label/);
  assert.deepEqual(issues[0]?.loc, { file: 'f.yaml', line: 4, col: 3 });
});

test('a missing required top-level key points at the document start', () => {
  const issues = issuesOf(() => parseServiceManifest('# comment\nservice: a\n', 'f.yaml'));
  assert.equal(issues[0]?.path, 'image');
  assert.deepEqual(issues[0]?.loc, { file: 'f.yaml', line: 2, col: 1 });
});

test('YAML syntax errors and duplicate keys are located', () => {
  const issues = issuesOf(() => parseServiceManifest('service: a\nservice: b\nimage: [1,\n', 'f.yaml'));
  assert.equal(issues[0]?.message, 'duplicate key: this key appears earlier in the same map');
  assert.deepEqual(issues[0]?.loc, { file: 'f.yaml', line: 2, col: 1 });
  assert.ok(issues.length >= 2);
  assert.ok(issues.every((i) => i.loc !== undefined));
});

test('collection keys are refused, located', () => {
  const issues = issuesOf(() => parseServiceManifest('service: a\nimage: b\n? [x, y]\n: 1\n', 'f.yaml'));
  assert.deepEqual(issues[0]?.loc, { file: 'f.yaml', line: 3, col: 3 });
  assert.match(issues[0]?.message ?? '', /list, map or binary value used as a key/);
});

test('empty files and non-maps are refused with a hint', () => {
  for (const text of ['', '# only a comment\n', '- a\n- b\n', 'just text']) {
    const issues = issuesOf(() => parseServiceManifest(text, 'f.yaml'));
    assert.equal(issues.length, 1, text);
    assert.match(issues[0]?.hint ?? '', /ferry init/);
  }
});

test('platform file: unknown keys and enums', () => {
  const text = 'environments:\n  test: { namespce: t }\npolicy: { cronConcurrency: sometimes }\n';
  const issues = issuesOf(() => parsePlatformManifest(text, 'p.yaml'));
  assert.equal(issues[0]?.path, 'environments.test.namespce');
  assert.equal(issues[0]?.hint, 'did you mean "namespace"?');
  assert.equal(issues[1]?.path, 'policy.cronConcurrency');
  assert.match(issues[1]?.message ?? '', /one of forbid, allow, replace/);
});

test('mistyped scalars get the rewrite the schema accepts', () => {
  const text =
    'service: a\nimage: 3\nresources: { memory: 512 }\nautoscale: { min: 1, max: 2, cpu: 70 }\nmigrations: { command: x, timeout: 600 }\n';
  const hints = issuesOf(() => parseServiceManifest(text, 'f')).map((i) => [i.path, i.hint]);
  assert.deepEqual(hints, [
    ['image', 'write "3"'],
    ['resources.memory', 'write "512Mi"'],
    ['autoscale.cpu', 'write "70%"'],
    ['migrations.timeout', 'write "600s"'],
  ]);
});

test('unions of single-key maps (notify) explain what is wrong', () => {
  const text =
    'environments: { t: null }\nnotify:\n  - { webhook: x, slack: y }\n  - email: a@b\nservices: svc/*\n';
  const issues = issuesOf(() => parsePlatformManifest(text, 'p'));
  assert.deepEqual(
    issues.map((i) => [i.path, i.message, i.hint]),
    [
      [
        'notify[0].webhook',
        '"webhook" cannot be combined with the other keys here',
        'give one of: console, slack, webhook',
      ],
      ['notify[1].email', 'unknown key "email"', 'known keys: console, slack, webhook'],
      ['services', 'expected a list, got the string "svc/*"', "make it a list: ['svc/*']"],
    ],
  );
});

test('keys written in the wrong file say where they belong', () => {
  const svc = issuesOf(() =>
    parseServiceManifest(
      'service: a\nimage: b\npolicy: {}\nenvironments:\n  prod: { domain: x.com, instnces: 2 }\n',
      'f',
    ),
  );
  assert.match(svc[0]?.hint ?? '', /"policy" is a platform setting/);
  assert.match(
    svc[1]?.hint ?? '',
    /"domain" is an environment setting: it belongs in ferry.platform.yaml under environments.prod/,
  );
  assert.equal(svc[2]?.hint, 'did you mean "instances"?');
  const plat = issuesOf(() =>
    parsePlatformManifest('environments:\n  test: { instances: 2 }\nimage: x\n', 'p'),
  );
  assert.match(plat[0]?.hint ?? '', /"instances" is a service field/);
  assert.match(plat[1]?.hint ?? '', /"image" is a service field/);
});

test('merge keys work, as in compose files', () => {
  const text =
    'service: a\nimage: b\nenvironments:\n  test: &base { instances: 2, resources: { cpu: 1 } }\n  prod:\n    <<: *base\n    instances: 4\n';
  const { manifest } = parseServiceManifest(text, 'f');
  assert.equal(manifest.environments?.prod?.instances, 4);
  assert.equal(manifest.environments?.prod?.resources?.cpu, 1);
});

test('anchors and aliases work; alias bombs are refused, not crashed on', () => {
  const ok = parseServiceManifest(
    'service: a\nimage: b\nenv: &e { A: "1" }\nenvironments:\n  t: { env: *e }\n',
    'f',
  );
  assert.deepEqual(ok.manifest.environments?.t?.env, { A: '1' });
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 8; i++)
    bomb.push(
      `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
        .fill(`*${i === 0 ? 'a' : 'b'.repeat(i)}`)
        .join(', ')}]`,
    );
  const issues = issuesOf(() => parseServiceManifest(bomb.join('\n'), 'f'));
  assert.ok(issues.length >= 1);
});

// ---- property tests: the parser only ever throws its own located errors ----

function onlyOwnErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    if (err instanceof InvalidInputError) {
      assert.ok(err.issues.length > 0);
      for (const i of err.issues) {
        assert.equal(typeof i.message, 'string');
        assert.ok(i.loc === undefined || (i.loc.line >= 1 && i.loc.col >= 1));
      }
    }
  }
}

test('fuzz: random text never throws anything but InvalidInputError', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      onlyOwnErrors(() => parseServiceManifest(text, 'f.yaml'));
      onlyOwnErrors(() => parsePlatformManifest(text, 'p.yaml'));
    }),
    { numRuns: 500 },
  );
});

test('fuzz: random YAML-ish text from YAML tokens (and no process warnings)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  const token = fc.constantFrom(
    'service:',
    'image:',
    ' ',
    '\n',
    '  ',
    '- ',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '&a ',
    '*a',
    '!!str ',
    '"',
    "'",
    '#',
    'environments:',
    'crons:',
    'name: x',
    '1',
    'true',
    'null',
    '~',
    '---\n',
    '? ',
    '|\n',
    '<<: *a',
    'prod:',
    '500m',
    '? [a]\n: 1\n',
    '? {a: 1}\n: 2\n',
    '__proto__: 1\n',
    '!!binary aGVsbG8=: 1\n',
    '? &k [a]\n: 1\n*k : 2\n',
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
      onlyOwnErrors(() => parseServiceManifest(parts.join(''), 'f.yaml'));
    }),
    { numRuns: 1000 },
  );
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.deepEqual(warnings, []);
});

test('fuzz: mutated valid manifests never throw anything but located errors', () => {
  const base = parseYaml(VALID, 'f').value as Record<string, unknown>;
  const anyValue = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  );
  const keys = Object.keys(base);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string()), anyValue), {
        minLength: 1,
        maxLength: 4,
      }),
      (mutations) => {
        const m: Record<string, unknown> = structuredClone(base);
        for (const [k, v] of mutations) m[k] = v;
        const text = stringify(m);
        try {
          parseServiceManifest(text, 'f.yaml');
        } catch (err) {
          assert.ok(err instanceof InvalidInputError, String(err));
          for (const i of err.issues) assert.ok(i.loc, `unlocated issue ${i.path}: ${i.message}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('team: a name the matrix filters by; a bad one is refused where it is', () => {
  const { manifest } = parseServiceManifest('service: a\nimage: b\nteam: payments\n', 'f.yaml');
  assert.equal(manifest.team, 'payments');
  const issues = issuesOf(() => parseServiceManifest('service: a\nimage: b\nteam: "#nope"\n', 'f.yaml'));
  assert.equal(issues[0]?.path, 'team');
  assert.match(issues[0]?.message ?? '', /a team name/);
  assert.deepEqual(issues[0]?.loc, { file: 'f.yaml', line: 3, col: 7 });
});
