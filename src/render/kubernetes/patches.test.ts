// The escape hatch: patches apply last (Jobs included), an environment's after the service's,
// and a patch that targets nothing, does not apply or would change what ferry keys on is refused
// where it was written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../errors.ts';
import { appFromTexts } from '../../manifest/memory.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import { renderKubernetes } from './index.ts';

const PLATFORM = { file: 'ferry.platform.yaml', text: 'environments:\n  test: {}\n  prod: {}\n' };
const render = (text: string, env = 'test') =>
  renderKubernetes(
    resolveWorkload(appFromTexts(PLATFORM, [{ file: 'svc/ferry.yaml', text }]), 'api', env, '1.0.0'),
  );
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e.issues;
    throw e;
  }
  assert.fail('expected an InvalidInputError');
};

const BASE = `service: api
image: r/api
port: 8000
migrations: { command: migrate }
`;

test('patches reach the migration Job; the environment adds its own after the service’s', () => {
  const text = `${BASE}patches:
  - target: { kind: Job }
    patch: { spec: { backoffLimit: 1 } }
  - target: { kind: Deployment }
    jsonPatch: [{ op: add, path: /spec/minReadySeconds, value: 5 }]
environments:
  test: null
  prod:
    patches:
      - target: { kind: Deployment, name: api }
        jsonPatch: [{ op: replace, path: /spec/minReadySeconds, value: 30 }]
`;
  const spec = (r: ReturnType<typeof render>) =>
    (r.objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { minReadySeconds: number } }).spec;
  assert.equal(spec(render(text, 'test')).minReadySeconds, 5);
  assert.equal(spec(render(text, 'prod')).minReadySeconds, 30, 'prod’s patch runs after the service’s');
  const r = render(text);
  assert.equal(r.migration?.up.spec?.backoffLimit, 1);
});

test('a patch that targets nothing is refused at its target, naming what the service renders', () => {
  const issues = issuesOf(() =>
    render(`${BASE}patches:
  - target: { kind: Deployment, name: apx }
    patch: { spec: { paused: true } }
`),
  );
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.path, 'patches[0].target');
  assert.deepEqual(issues[0]!.loc, { file: 'svc/ferry.yaml', line: 6, col: 13 });
  assert.match(issues[0]!.message, /targets Deployment\/apx, which api does not render in test/);
  assert.match(issues[0]!.hint ?? '', /Service\/api, Deployment\/api, Job\/api-migrate-1\.0\.0/);
});

test('a JSON Patch operation that does not apply is refused at that operation', () => {
  const issues = issuesOf(() =>
    render(`${BASE}environments:
  test:
    patches:
      - target: { kind: Service }
        jsonPatch:
          - { op: add, path: /metadata/annotations/a, value: x }
`),
  );
  assert.equal(issues[0]!.path, 'environments.test.patches[0].jsonPatch[0]');
  assert.equal(issues[0]!.loc?.line, 10);
  assert.match(issues[0]!.message, /add \/metadata\/annotations\/a does not apply to Service\/api/);
});

test('a patch may not rename an object or change the labels ferry prunes by; one of patch/jsonPatch', () => {
  const issues = issuesOf(() =>
    render(`${BASE}patches:
  - target: { kind: Service }
    patch: { metadata: { name: other } }
  - target: { kind: Deployment }
    patch: { metadata: { labels: { ferry.dev/service: x } } }
`),
  );
  assert.deepEqual(
    issues.map((i) => i.path),
    ['patches[0]', 'patches[1]'],
  );
  assert.match(issues[0]!.message, /would change the apiVersion, kind, name/);
  const both = issuesOf(() =>
    resolveWorkload(
      appFromTexts(PLATFORM, [{ file: 's', text: `${BASE}patches:\n  - target: { kind: Service }\n` }]),
      'api',
      'test',
      '1.0.0',
    ),
  );
  assert.match(both[0]!.message, /say what to change: patch or jsonPatch/);
});
