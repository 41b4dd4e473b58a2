// ferry validate: every problem of a file in one round (type errors together with bad crons,
// time zones and variables), each problem once and at its own line, and what only rendering finds
// (a patch that targets nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InvalidInputError, type Issue } from '../../errors.ts';
import { tempDir } from '../testing.ts';
import { validate } from './validate.ts';

const PLATFORM = `environments:
  test: {}
  prod:
    env: { REGION: '\${regoin}' }
`;

async function issuesOf(files: Record<string, string>): Promise<Issue[]> {
  const d = tempDir('ferry-validate-', files);
  try {
    await validate([d]);
  } catch (e) {
    if (e instanceof InvalidInputError)
      return e.issues.map((i) => ({
        ...i,
        loc: i.loc && { ...i.loc, file: i.loc.file.slice(d.length + 1) },
      }));
    throw e;
  }
  return [];
}

const where = (i: Issue) => `${i.loc?.file}:${i.loc?.line}:${i.loc?.col} ${i.path}`;

test('type errors, a bad cron, a bad time zone and ${verison} are all reported in one round', async () => {
  const issues = await issuesOf({
    'ferry.platform.yaml': "services: ['.']\nenvironments: { test: {} }\n",
    'ferry.yaml': `service: api
image: r/api
instances: two
port: abc
routes: [{ path: /, port: http }]
env: { TAG: 'api-\${verison}' }
crons:
  - { name: a, schedule: 'every hour', command: x }
  - { name: b, schedule: '0 * * * *', timezone: Mars/Olympus, command: x }
`,
  });
  assert.deepEqual(issues.map(where), [
    'ferry.yaml:3:12 instances',
    'ferry.yaml:4:7 port',
    'ferry.yaml:6:13 env.TAG',
    'ferry.yaml:8:26 crons[0].schedule',
    'ferry.yaml:9:26 crons[1].schedule',
  ]);
  assert.match(issues[2]!.message, /unknown variable \$\{verison\}/);
  assert.ok(
    !issues.some((i) => /needs a port|not one of the service's ports/.test(i.message)),
    'no problem caused by leaving out port',
  );
});

test('a problem is reported once, at its own line: base env under an overlay, a platform variable', async () => {
  const issues = await issuesOf({
    'ferry.platform.yaml': `services: ['.']\n${PLATFORM}`,
    'ferry.yaml': `service: api
image: r/api
env: { TAG: 'api-\${verison}', MODE: web }
environments:
  test: null
  prod: { env: { MODE: worker } }
`,
  });
  assert.deepEqual(issues.map(where), [
    'ferry.platform.yaml:5:20 environments.prod.env.REGION',
    'ferry.yaml:3:13 env.TAG',
  ]);
});

test('validate renders: a patch that targets nothing is found, located', async () => {
  const issues = await issuesOf({
    'ferry.yaml': `service: api
image: r/api
port: 8000
patches:
  - target: { kind: Ingress }
    patch: { metadata: { annotations: { a: b } } }
environments: { test: null }
`,
  });
  assert.deepEqual(issues.map(where), ['ferry.yaml:5:13 patches[0].target']);
  assert.match(issues[0]!.message, /targets Ingress, which api does not render in test/);
});

test('a valid app still validates', async () => {
  const d = tempDir('ferry-validate-ok-', { 'ferry.yaml': 'service: api\nimage: r/api\nport: 8000\n' });
  const [r] = await validate([join(d, 'ferry.yaml')]);
  assert.equal(r?.workloads, 1);
});
