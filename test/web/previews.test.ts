// The previews page in Debian's Chromium: a preview made by GitHub's webhook (a local server
// speaking GitHub's REST API) is listed with its pull request, branch, state, version and each
// service's URL and health; a viewer sees no buttons and the API refuses its removal; a deployer
// removes one after a confirmation and the row goes once the teardown ran.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { githubSettings } from '../../src/server/github/client.ts';
import { deliver, fakeGitHub, pullRequestPayload, type FakeGitHub } from '../kit/github.ts';
import { testCluster, waitFor, withNamespace, type TestCluster } from '../kit/cluster.ts';
import { sqliteState, testServer, type TestServer } from '../server/kit.ts';
import { ensureWebBuilt, launch, login, screenshot, tracePage, waitExplained, webDir } from './kit.ts';

const SECRET = `whsec-${randomBytes(8).toString('hex')}`;
const tag = randomBytes(3).toString('hex');
const nsOf = (n: number) => `wp${tag}-${n}`;

let dir: string;
let server: TestServer;
let gh: FakeGitHub;
let cluster: TestCluster;
let browser: Browser;
let admin: string;
let release: () => void;
const ns = new Promise<string>((resolve) => {
  void withNamespace('web-previews', async ({ namespace }) => {
    resolve(namespace);
    await new Promise<void>((r) => (release = r));
  });
});

before(async () => {
  ensureWebBuilt();
  const stage = await ns;
  cluster = await testCluster();
  gh = await fakeGitHub();
  dir = mkdtempSync(join(tmpdir(), 'ferry-web-previews-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  stage: { namespace: ${stage}, createNamespace: false, domain: stage.test, tls: { disabled: true } }
previews: { from: stage, namespace: 'wp${tag}-\${number}' }
`,
  );
  mkdirSync(join(dir, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'services', 'web', 'ferry.yaml'),
    'service: web\nimage: r.example.com/web\nport: 8080\nroutes: [{ path: /, public: true }]\n',
  );
  server = await testServer({
    dir,
    state: sqliteState(dir),
    settings: {
      workers: 2,
      webDir,
      previewResyncMs: 0,
      github: githubSettings({}, { apiUrl: gh.url, token: gh.token, webhookSecret: SECRET }),
    },
  });
  admin = await server.token('admin');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop(5000);
  await gh?.close();
  for (const n of [31, 32]) await cluster?.core.deleteNamespace({ name: nsOf(n) }).catch(() => undefined);
  release?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function finished(id: unknown): Promise<{ state: string; message: string }> {
  return waitFor(
    `request ${String(id)}`,
    async () => {
      const r = await server.api<{ state: string; message: string }>(
        'GET',
        `/api/v1/requests/${String(id)}`,
        admin,
      );
      return ['succeeded', 'failed', 'rejected', 'cancelled'].includes(r.body.state) ? r.body : undefined;
    },
    120_000,
  );
}

test(
  'previews made by webhooks are listed; a viewer cannot remove one, a deployer can',
  { timeout: 240_000 },
  async () => {
    // 31 waits for its image; 32 gets one deployed, as CI would
    for (const n of [31, 32]) {
      const r = await deliver(
        server.url,
        SECRET,
        'pull_request',
        pullRequestPayload({
          action: 'opened',
          number: n,
          sha: String(n % 10).repeat(40),
          branch: `feature/p${n}`,
        }),
      );
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal((await finished((r.body as { queued: number }).queued)).state, 'succeeded');
    }
    const q = await server.api<{ id: number }>('POST', '/api/v1/previews/32/deploys', admin, {
      version: 'sha-2222222',
    });
    assert.equal(q.status, 202, JSON.stringify(q.body));
    assert.equal((await finished(q.body.id)).state, 'succeeded');

    const viewer = await server.token('viewer', [], 'vera');
    const v = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(v, server.url, viewer);
    await v.getByRole('link', { name: 'Previews' }).click();
    const row = (n: number) => v.locator(`tr[data-preview="${n}"]`);
    await row(32).waitFor();
    const ready = await row(32).innerText();
    assert.match(ready, /#32/);
    assert.match(ready, /feature\/p32/);
    assert.match(ready, /ready/);
    assert.match(ready, /sha-2222222/);
    assert.equal(
      await row(32).locator('li[data-service="web"] a').getAttribute('href'),
      'http://web.pr-32.stage.test',
    );
    // the live workload's health, read from the cluster (kwok makes the pod ready)
    const trace = tracePage(v, server.url, viewer);
    await v.reload();
    await waitExplained(
      row(32).locator('li[data-service="web"] .health', { hasText: 'healthy' }),
      trace,
      60_000,
    );
    const waiting = await row(31).innerText();
    assert.match(waiting, /waiting/);
    assert.match(waiting, /web\s+○ missing/);
    assert.equal(await v.getByRole('button', { name: /Remove/ }).count(), 0, 'a viewer sees no buttons');
    await screenshot(v, 'previews');
    trace.stop();
    assert.deepEqual(trace.pageErrors(), []);
    await v.close();
    const refused = await server.api<{ error: { code: string } }>('DELETE', '/api/v1/previews/32', viewer);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'E_FORBIDDEN');

    const deployer = await server.token('deployer', ['stage'], 'dan');
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(p, server.url, deployer);
    await p.goto(`${server.url}/#/previews`);
    const row32 = p.locator('tr[data-preview="32"]');
    await row32.getByRole('button', { name: 'Remove…' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`namespace ${nsOf(32)}`));
    // cancelling asks nothing of the server
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await server.api<{ state: string }>('GET', '/api/v1/previews/32', admin)).status, 200);
    await row32.getByRole('button', { name: 'Remove…' }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await row32.getByRole('link', { name: 'removal queued' }).waitFor();
    // the teardown's end reloads the list: the row goes, the other stays
    await row32.waitFor({ state: 'detached', timeout: 120_000 });
    await p.locator('tr[data-preview="31"]').waitFor();
    assert.equal((await server.api('GET', '/api/v1/previews/32', admin)).status, 404);
    await waitFor(
      'namespace gone',
      async () =>
        (await cluster.core.readNamespace({ name: nsOf(32) }).catch(() => undefined)) ? undefined : true,
      60_000,
    );
    await p.close();
  },
);
