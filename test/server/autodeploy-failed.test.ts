// Rollback sticks after a FAILED auto-deploy too, not only after a manual rollback: a pushed
// version whose rollout fails (the test cluster's fault stage makes its pods crash) is reverted,
// and auto-deploy of that service in that environment pauses with the reason; the same version
// pushed again is never retried, an older one is held by the pause, and a newer one deploys and
// ends it. Registry payloads over real HTTP to the real server (SQLite), the real cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { distributionEnvelope } from '../../src/server/webhooks/registry/testing.ts';
import { faultStagesAvailable, holdNamespace, waitFor } from '../kit/cluster.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

const TOKEN = 'hook-token-failed';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const opts = { timeout: 300_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' };

let dir: string;
let server: TestServer;
let k: Awaited<ReturnType<typeof holdNamespace>>;
let admin: string;

interface Decision {
  service: string;
  environment: string;
  deploy: boolean;
  version?: string;
  why: string;
  request?: number;
}
interface RequestView {
  id: number;
  state: string;
  message: string;
  release?: { service: string; environment: string; id: number };
}
interface Status {
  current?: string;
  paused?: { badVersion: string; reason: string; release: number };
  failed: { version: string; release: number }[];
}

before(async () => {
  k = await holdNamespace('autodeploy-failed');
  process.env.FERRY_DISTRIBUTION_WEBHOOK_TOKEN = TOKEN;
  dir = mkdtempSync(join(tmpdir(), 'ferry-autodeploy-failed-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  stage: { namespace: ${k.namespace}, createNamespace: false, tls: { disabled: true }, autoDeploy: minor }
`,
  );
  mkdirSync(join(dir, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'services', 'web', 'ferry.yaml'),
    'service: web\nimage: registry.example.com/acme/web\nport: 8080\n',
  );
  server = await testServer({ dir, state: sqliteState(dir), settings: { workers: 2 } });
  admin = await server.token('admin', [], 'alice');
});

after(async () => {
  await server?.stop(5000);
  k?.release();
  rmSync(dir, { recursive: true, force: true });
});

async function push(tag: string, d: string): Promise<Decision | undefined> {
  const res = await fetch(`${server.url}/webhooks/registry/distribution`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(
      distributionEnvelope({ repository: 'acme/web', tag, digest: d, host: 'registry.example.com' }),
    ),
  });
  assert.equal(res.status, 202);
  const body = (await res.json()) as { decisions: Decision[] };
  return body.decisions.find((x) => x.service === 'web' && x.environment === 'stage');
}

async function settled(id: number): Promise<RequestView> {
  return waitFor(
    `request ${id}`,
    async () => {
      const r = (await server.api<RequestView>('GET', `/api/v1/requests/${id}`, admin)).body;
      return ['succeeded', 'failed', 'cancelled', 'rejected'].includes(r.state) ? r : undefined;
    },
    240_000,
  );
}

const status = async (): Promise<Status> =>
  (
    await server.api<{ autodeploy: Status[] }>(
      'GET',
      '/api/v1/autodeploy?service=web&environment=stage',
      admin,
    )
  ).body.autodeploy[0]!;

async function image(): Promise<string | undefined> {
  const d = await k.apps.readNamespacedDeployment({ name: 'web', namespace: k.namespace });
  return d.spec?.template.spec?.containers[0]?.image;
}

test(
  'a failed auto-deploy is reverted and pauses auto-deploy; the failed version is never retried; a newer one resumes',
  opts,
  async () => {
    const first = await server.api<RequestView>('POST', '/api/v1/deploys', admin, {
      service: 'web',
      environment: 'stage',
      version: '1.0.0',
    });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal((await settled(first.body.id)).state, 'succeeded');

    // the next version's pods crash: its rollout fails and is reverted
    server.ctx.settings.podLabels = [parsePodLabel('web:ferry.dev/fault=never-ready')];
    const bad = await push('1.1.0', digest('a'));
    assert.equal(bad?.deploy, true, bad?.why);
    const failed = await settled(bad!.request!);
    assert.equal(failed.state, 'failed', failed.message);
    const rel = (
      await server.api<{ release: { outcome: string; steps: { name: string; outcome: string }[] } }>(
        'GET',
        `/api/v1/releases/web/stage/${failed.release!.id}`,
        admin,
      )
    ).body.release;
    assert.equal(rel.outcome, 'failed');
    assert.ok(
      rel.steps.some((s) => s.name === 'revert' && s.outcome === 'succeeded'),
      JSON.stringify(rel.steps),
    );
    assert.equal(await image(), 'registry.example.com/acme/web:1.0.0', 'reverted to what ran');
    server.ctx.settings.podLabels = [];

    const paused = await status();
    assert.equal(paused.current, '1.0.0');
    assert.equal(paused.paused?.badVersion, '1.1.0');
    assert.equal(paused.paused?.release, failed.release!.id);
    assert.match(
      paused.paused?.reason ?? '',
      new RegExp(`release ${failed.release!.id} of 1\\.1\\.0 failed`),
    );
    assert.deepEqual(paused.failed, [{ version: '1.1.0', release: failed.release!.id }]);

    // the same version again (a rebuilt image, another digest): never retried
    const again = await push('1.1.0', digest('b'));
    assert.equal(again?.deploy, false);
    assert.match(again?.why ?? '', /1\.1\.0 failed here before .*never retried/);
    // an older version than the bad one: held by the pause
    const older = await push('1.0.5', digest('c'));
    assert.equal(older?.deploy, false);
    assert.match(
      older?.why ?? '',
      /auto-deploy is paused: release \d+ of 1\.1\.0 failed.*newer than 1\.1\.0/,
    );
    assert.equal(await image(), 'registry.example.com/acme/web:1.0.0');
    const requests = (
      await server.api<{ requests: RequestView[] }>(
        'GET',
        '/api/v1/requests?service=web&environment=stage',
        admin,
      )
    ).body.requests;
    assert.equal(requests.length, 2, 'the deploy by hand and the failed auto-deploy: nothing more queued');

    // a newer version than the bad one deploys and ends the pause
    const newer = await push('1.1.1', digest('d'));
    assert.equal(newer?.deploy, true, newer?.why);
    assert.match(newer?.why ?? '', /newer than 1\.1\.0, which paused auto-deploy/);
    const ok = await settled(newer!.request!);
    assert.equal(ok.state, 'succeeded', ok.message);
    assert.equal(await image(), 'registry.example.com/acme/web:1.1.1');
    const after = await status();
    assert.equal(after.paused, undefined);
    assert.equal(after.current, '1.1.1');
    assert.deepEqual(
      after.failed,
      [{ version: '1.1.0', release: failed.release!.id }],
      'still never retried',
    );
  },
);
