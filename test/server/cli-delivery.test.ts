// `ferry promote` and `ferry autodeploy status|resume` as their users run them, in both modes:
// locally (the engine in-process, a SQLite state, the real cluster) and through the team server
// (FERRY_SERVER/FERRY_TOKEN: real HTTP to the real server). The same human lines, the same -o json
// shapes and the same exit codes — a refused promotion (E_PROMOTE_SOURCE) is exit 3 either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runFerry, type CliResult } from '../../src/cli/testing.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp, type TestApp } from '../deploy/kit.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

type Mode = 'local' | 'remote';

interface Setup {
  app: TestApp;
  cli(...args: string[]): Promise<CliResult>;
}

const releases: (() => void)[] = [];
const namespace = (prefix: string) =>
  new Promise<string>((resolve) => {
    void withNamespace(prefix, async (n) => {
      resolve(n.namespace);
      await new Promise<void>((r) => releases.push(r));
    });
  });

let server: TestServer;
const setups = new Map<Mode, Setup>();

async function project(mode: Mode): Promise<TestApp> {
  const stage = await namespace(`cli-${mode}-stage`);
  const prod = await namespace(`cli-${mode}-prod`);
  const app = tempApp(stage, '', '    autoDeploy: minor\n');
  app.writePlatform(`services: ['services/*']
environments:
  stage: { namespace: ${stage}, createNamespace: false, tls: { disabled: true }, autoDeploy: minor }
  prod: { namespace: ${prod}, createNamespace: false, tls: { disabled: true } }
`);
  app.write('web', serviceYaml('web', { instances: 1 }));
  app.write('api', serviceYaml('api', { instances: 1 }));
  return app;
}

before(async () => {
  const local = await project('local');
  setups.set('local', {
    app: local,
    cli: (...args) =>
      runFerry(['-C', local.dir, ...args], {
        FERRY_STATE: local.statePath,
        FERRY_ACTOR: 'alice',
        KUBECONFIG: testKubeconfigPath(),
      }),
  });
  const remote = await project('remote');
  server = await testServer({ dir: remote.dir, state: sqliteState(remote.dir), settings: { workers: 2 } });
  const token = await server.token('admin', [], 'alice');
  setups.set('remote', {
    app: remote,
    // no kubeconfig and no state: everything goes through the server
    cli: (...args) =>
      runFerry(['-C', remote.dir, ...args], {
        FERRY_SERVER: server.url,
        FERRY_TOKEN: token,
        KUBECONFIG: '/nonexistent',
        FERRY_STATE: '/nonexistent/state.db',
      }),
  });
});

after(async () => {
  await server?.stop(5000);
  for (const s of setups.values()) s.app.cleanup();
  for (const r of releases) r();
});

interface PromoteJson {
  from: string;
  to: string;
  releases: { kind: string; service: string; environment: string; version: string; outcome: string }[];
  skipped: string[];
}
interface Row {
  service: string;
  environment: string;
  policy: string;
  from: string;
  current?: string;
  paused?: { badVersion: string; reason: string; release: number };
  failed: unknown[];
}

const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;
const shapes = new Map<string, Map<Mode, string[]>>();
/** Records the keys of a JSON answer per mode, to compare the two modes' shapes at the end. */
function shape(name: string, mode: Mode, value: unknown): void {
  const keys = (v: unknown, at: string): string[] =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.keys(v).flatMap((k) => [`${at}${k}`, ...keys((v as Record<string, unknown>)[k], `${at}${k}.`)])
      : Array.isArray(v) && v.length > 0
        ? keys(v[0], `${at}[].`)
        : [];
  const m = shapes.get(name) ?? new Map<Mode, string[]>();
  m.set(mode, keys(value, '').sort());
  shapes.set(name, m);
}

async function scenario(mode: Mode): Promise<void> {
  const { cli } = setups.get(mode)!;
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.code, 0, `${mode}: ferry ${args.join(' ')}\n${r.stderr}${r.stdout}`);
    return r;
  };
  await ok('deploy', 'web:1.2.0', '--env', 'stage');

  // refused: api never ran in stage; nothing is deployed
  const refused = await cli('promote', 'api', '--from', 'stage', '--to', 'prod');
  assert.equal(refused.code, 3, `${mode}: ${refused.stderr}`);
  assert.equal(
    refused.stderr.trim(),
    'error: api has no successful release in stage to promote (deploy api to stage first)',
  );
  const refusedJson = await cli('promote', 'api', '--from', 'stage', '--to', 'prod', '-o', 'json');
  assert.equal(refusedJson.code, 3);
  assert.equal(json<{ error: { code: string } }>(refusedJson).error.code, 'E_PROMOTE_SOURCE');
  const usage = await cli('promote', '--from', 'stage', '--to', 'prod');
  assert.equal(usage.code, 2, 'no service and no --all');

  const promoted = await ok('promote', 'web', '--from', 'stage', '--to', 'prod');
  assert.match(promoted.stderr, /web: 1\.2\.0 \(release \d+ in stage\) → prod/);
  assert.match(promoted.stdout, /✓ release \d+: web 1\.2\.0 in prod succeeded/);
  const all = await ok('promote', '--all', '--from', 'stage', '--to', 'prod', '-o', 'json');
  const p = json<PromoteJson>(all);
  assert.deepEqual(
    { from: p.from, to: p.to, skipped: p.skipped },
    { from: 'stage', to: 'prod', skipped: ['api'] },
  );
  assert.deepEqual(
    p.releases.map((r) => [r.kind, r.service, r.environment, r.version, r.outcome]),
    [['promote', 'web', 'prod', '1.2.0', 'succeeded']],
  );
  shape('promote', mode, p);

  const status = await ok('autodeploy', 'status', '--env', 'stage');
  assert.match(status.stdout, /^SERVICE +ENV +POLICY +RUNS +STATE$/m);
  assert.match(status.stdout, /^web +stage +minor \(environment\) +1\.2\.0 +on$/m);
  assert.match(status.stdout, /^api +stage +minor \(environment\) +- +on$/m);

  // a rollback pauses auto-deploy; resume lifts it
  await ok('deploy', 'web:1.3.0', '--env', 'stage');
  await ok('rollback', 'web', '--env', 'stage');
  const paused = await ok('autodeploy', 'status', 'web', '--env', 'stage');
  assert.match(paused.stdout, /^web +stage +minor \(environment\) +1\.2\.0 +paused$/m);
  assert.match(
    paused.stdout,
    /web\/stage: rolled back from 1\.3\.0 by alice \(release \d+\); waits for a version newer than 1\.3\.0/,
  );
  const rows = json<{ autodeploy: Row[] }>(await ok('autodeploy', 'status', 'web', '-o', 'json')).autodeploy;
  assert.deepEqual(
    rows.map((r) => [r.environment, r.policy, r.from, r.current, r.paused?.badVersion]),
    [
      ['stage', 'minor', 'environment', '1.2.0', '1.3.0'],
      ['prod', 'off', 'default', '1.2.0', undefined],
    ],
  );
  shape(
    'autodeploy status',
    mode,
    rows.find((r) => r.paused),
  );

  const resumed = await ok('autodeploy', 'resume', 'web', '--env', 'stage');
  assert.equal(resumed.stdout.trim(), 'auto-deploy of web in stage resumed');
  const again = json<{ resumed: boolean; status: Row }>(
    await ok('autodeploy', 'resume', 'web', '--env', 'stage', '-o', 'json'),
  );
  assert.deepEqual(
    { resumed: again.resumed, paused: again.status.paused, current: again.status.current },
    { resumed: false, paused: undefined, current: '1.2.0' },
  );
  shape('autodeploy resume', mode, again);
  assert.match((await ok('autodeploy', 'status', 'web', '--env', 'stage')).stdout, /1\.2\.0 +on$/m);

  const noEnv = await cli('autodeploy', 'resume', 'web');
  assert.equal(noEnv.code, 2);
  assert.match(noEnv.stderr, /which environment\? pass --env/);
  const unknown = await cli('autodeploy', 'status', 'nope', '-o', 'json');
  assert.equal(unknown.code, 2, `${mode}: ${unknown.stderr}${unknown.stdout}`);
  assert.equal(json<{ error: { code: string } }>(unknown).error.code, 'E_UNKNOWN_SERVICE');
}

test('local: promote and autodeploy status|resume, human and -o json, exit codes', { timeout: 300_000 }, () =>
  scenario('local'),
);

test('remote (FERRY_SERVER): the same, through the API', { timeout: 300_000 }, () => scenario('remote'));

test('both modes answer -o json in the same shapes', () => {
  for (const [name, m] of shapes) assert.deepEqual(m.get('remote'), m.get('local'), name);
  assert.equal(shapes.size, 3);
});
