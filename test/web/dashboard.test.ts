// The dashboard in Debian's Chromium against a real server, store and test cluster: login; the
// matrix shows what a CLI deploy did; a deploy started from the page streams its steps; a
// deployer rolls back from the page, a viewer sees no buttons and the API refuses it; the
// Delivery page shows the numbers `ferry dora -o json` prints; the audit for admins. Every page
// is saved as a screenshot under .ferry/artifacts/web/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { runFerry } from '../../src/cli/testing.ts';
import type { DoraReport } from '../../src/engine/dora/figures.ts';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { serviceYaml, tempApp, type TestApp } from '../deploy/kit.ts';
import { testServer, type TestServer } from '../server/kit.ts';
import { ensureWebBuilt, launch, login, screenshot, tracePage, waitExplained, webDir } from './kit.ts';

let app: TestApp;
let server: TestServer;
let browser: Browser;
let release: () => void;
let kube: KubeCluster;
const tokens: Record<'viewer' | 'deployer' | 'admin', string> = { viewer: '', deployer: '', admin: '' };
let releaseStage: () => void;
const ns = new Promise<string>((resolve) => {
  void withNamespace('web', async ({ namespace }) => {
    resolve(namespace);
    await new Promise<void>((r) => (release = r));
  });
});
const stageNs = new Promise<string>((resolve) => {
  void withNamespace('web-stage', async ({ namespace }) => {
    resolve(namespace);
    await new Promise<void>((r) => (releaseStage = r));
  });
});

const cli = (...args: string[]) =>
  runFerry(['-C', app.dir, ...args], {
    FERRY_STATE: app.statePath,
    FERRY_ACTOR: 'cli@test',
    KUBECONFIG: testKubeconfigPath(),
  });

before(async () => {
  ensureWebBuilt();
  const namespace = await ns;
  // a second environment to promote to
  app = tempApp(
    namespace,
    '',
    `  stage:\n    namespace: ${await stageNs}\n    createNamespace: false\n    tls: { disabled: true }\n`,
  );
  app.write('web', `${serviceYaml('web', { instances: 1 })}team: storefront\n`);
  app.write('api', `${serviceYaml('api', { instances: 1 })}team: platform\n`);
  const d = await cli('deploy', 'web:1.0.0', '--env', 'test');
  assert.equal(d.code, 0, d.stderr);
  server = await testServer({
    dir: app.dir,
    state: app.statePath,
    // the server's deploys become Ready after 5 s (kwok's slow-ready stage), so the pages see
    // their steps running, whatever the machine's speed
    settings: {
      workers: 1,
      statusRefreshMs: 1000,
      webDir,
      podLabels: [parsePodLabel('web:ferry.dev/fault=slow-ready')],
    },
  });
  tokens.viewer = await server.token('viewer', [], 'vera');
  tokens.deployer = await server.token('deployer', [], 'dan');
  tokens.admin = await server.token('admin', [], 'ada');
  browser = await launch();
  kube = new KubeCluster({ kubeconfig: testKubeconfigPath() });
});

after(async () => {
  await browser?.close();
  await server?.stop(5000);
  release?.();
  releaseStage?.();
  app?.cleanup();
});

async function page(width = 1280): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  return ctx.newPage();
}

test(
  'login: a bad token is refused with the reason, a good one opens the matrix',
  { timeout: 60_000 },
  async () => {
    const p = await page();
    await p.goto(`${server.url}/`);
    await p.getByLabel('Token').waitFor();
    await screenshot(p, 'login');
    await p.getByLabel('Token').fill('fry_notatoken');
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.getByRole('alert').waitFor();
    assert.match(await p.getByRole('alert').innerText(), /401 E_UNAUTHENTICATED/);
    await p.getByLabel('Token').fill(tokens.viewer);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.getByRole('heading', { name: 'What runs where' }).waitFor();
    assert.match(await p.locator('header .who').innerText(), /vera · viewer/);
    // a viewer has no audit page in the navigation
    assert.equal(await p.getByRole('link', { name: 'Audit' }).count(), 0);
    await p.context().close();
  },
);

test('the matrix shows what the CLI deploy did on the cluster', { timeout: 60_000 }, async () => {
  const p = await page();
  await login(p, server.url, tokens.viewer);
  const row = p.locator('tr', { has: p.getByRole('rowheader', { name: 'web' }) });
  await row.locator('td.cell', { hasText: 'healthy' }).waitFor({ timeout: 30_000 });
  const cell = await row.locator('td.cell').first().innerText();
  assert.match(cell, /1\.0\.0/);
  assert.match(cell, /healthy/);
  assert.match(cell, /ago/);
  // api was never deployed
  const other = await p.locator('tr', { has: p.getByRole('rowheader', { name: 'api' }) }).innerText();
  assert.match(other, /not deployed/);
  // search runs on the server
  await p.getByRole('searchbox').fill('ap');
  await p.locator('tbody tr').filter({ hasText: 'api' }).waitFor();
  await p.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  await p.getByRole('searchbox').fill('');
  await p.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
  // the team filter (the manifests' team:) runs on the server too
  const asked: string[] = [];
  p.on('request', (r) => {
    if (r.url().includes('/api/v1/services?')) asked.push(new URL(r.url()).search);
  });
  assert.match(await row.innerText(), /storefront/);
  await p.getByLabel('Team').selectOption('platform');
  await p.waitForFunction(
    () =>
      document.querySelectorAll('tbody tr').length === 1 &&
      document.querySelector('tbody th')?.textContent?.startsWith('api'),
  );
  assert.ok(
    asked.some((q) => q.includes('team=platform')),
    asked.join(' '),
  );
  await p.getByLabel('Team').selectOption('');
  await p.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
  const byTeam = await server.api<{ services: { service: string; team?: string }[]; teams: string[] }>(
    'GET',
    '/api/v1/services?team=storefront',
    tokens.viewer,
  );
  assert.deepEqual(
    byTeam.body.services.map((r) => [r.service, r.team]),
    [['web', 'storefront']],
  );
  assert.deepEqual(byTeam.body.teams, ['platform', 'storefront']);

  // a health change on the cluster reaches the cell live (status.changed), without reloading
  // the matrix: a pod template whose pods never become ready stalls the rollout, undoing it heals
  const { namespace } = (
    await server.api<{ namespace: string }>('GET', '/api/v1/services/web/environments/test', tokens.viewer)
  ).body;
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace };
  const label = '/spec/template/metadata/labels/ferry.dev~1fault';
  const readsBefore = asked.length;
  const trace = tracePage(p, server.url, tokens.viewer);
  await kube.patch(deployment, [{ op: 'add', path: label, value: 'never-ready' }]);
  await waitExplained(row.locator('td.cell .health', { hasText: 'progressing' }), trace, 60_000);
  await kube.patch(deployment, [{ op: 'remove', path: label }]);
  await waitExplained(row.locator('td.cell .health', { hasText: 'healthy' }), trace, 60_000);
  assert.equal(
    asked.length,
    readsBefore,
    `the matrix was not read again: ${asked.slice(readsBefore).join(' ')}`,
  );
  trace.stop();
  assert.deepEqual(trace.pageErrors(), []);
  await screenshot(p, 'matrix');
  await p.setViewportSize({ width: 390, height: 844 });
  await screenshot(p, 'matrix-phone');
  await p.context().close();
});

test('a deploy started from the page streams its steps to the end', { timeout: 120_000 }, async () => {
  const p = await page();
  await login(p, server.url, tokens.deployer);
  const trace = tracePage(p, server.url, tokens.deployer);
  await p.goto(`${server.url}/#/service/web/test`);
  await p.getByLabel('Version').fill('1.1.0');
  await p.getByRole('button', { name: 'Deploy…' }).click();
  const dialog = p.getByRole('dialog');
  await dialog.waitFor();
  // the object diff from the server's dry-run against the live cluster, before the button works
  await dialog.locator('.diffs').waitFor();
  const shown = await dialog.innerText();
  assert.match(shown, /version 1\.0\.0 → 1\.1\.0/);
  assert.match(shown, /Deployment\/web \(update\)/);
  assert.match(shown, /^\+\s+ferry\.dev\/version: 1\.1\.0$/m);
  assert.match(shown, /^-\s+ferry\.dev\/version: 1\.0\.0$/m);
  assert.equal(await dialog.getByRole('button', { name: 'Deploy' }).isEnabled(), true);
  await screenshot(p, 'deploy-confirm');
  await dialog.getByRole('button', { name: 'Deploy' }).click();
  await p.waitForURL(/#\/release\/web\/test\/\d+$/, { timeout: 30_000 });
  // count the steps on screen as they change, without reloading the page
  // (a string: functions passed from tsx-compiled tests carry its __name helper)
  await p.evaluate(`(() => {
    const w = window;
    w.seen = [];
    const count = () => {
      const all = document.querySelectorAll('.steps-live li.step').length;
      const running = document.querySelectorAll('.steps-live li.step.running').length;
      const n = all + '/' + running;
      if (w.seen.at(-1) !== n) w.seen.push(n);
    };
    count();
    new MutationObserver(count).observe(document.body, { subtree: true, childList: true });
  })()`);
  await waitExplained(p.locator('.summary .health', { hasText: 'succeeded' }), trace, 90_000);
  trace.stop();
  assert.deepEqual(trace.pageErrors(), []);
  // seen: "steps on screen/running ones" at each change, e.g. ["7/1","8/0","11/0"]: the page
  // showed a running step, then more steps, without a reload
  const seen = await p.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const counts = seen.map((x) => x.split('/').map(Number) as [number, number]);
  assert.ok(
    counts.some(([, running]) => running > 0),
    `a running step was shown: ${JSON.stringify(seen)}`,
  );
  assert.ok(
    counts.length >= 2 && counts[0]![0] < counts.at(-1)![0],
    `steps arrived: ${JSON.stringify(seen)}`,
  );
  assert.equal(counts.at(-1)![1], 0);
  const steps = await p
    .locator('.steps-live li.step')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
  for (const s of ['plan', 'lock', 'apply', 'track'])
    assert.ok(steps.includes(s), `${s} in ${steps.join(',')}`);
  await screenshot(p, 'release');
  await p.context().close();
});

test(
  'a deployer rolls back from the page; a viewer sees no buttons and the API says 403',
  { timeout: 120_000 },
  async () => {
    const p = await page();
    await login(p, server.url, tokens.deployer);
    const trace = tracePage(p, server.url, tokens.deployer);
    await p.goto(`${server.url}/#/service/web/test`);
    await p.getByRole('button', { name: /Roll back to 1\.0\.0/ }).click();
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    await dialog.locator('.diff, p.muted').first().waitFor();
    const text = await dialog.innerText();
    assert.match(text, /back to release \d+ \(1\.0\.0\)/);
    assert.match(text, /Deployment\/web/);
    await screenshot(p, 'rollback-confirm');
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await p.waitForURL(/#\/release\/web\/test\/\d+$/, { timeout: 30_000 });
    await waitExplained(p.locator('.summary .health', { hasText: 'succeeded' }), trace, 90_000);
    trace.stop();
    assert.deepEqual(trace.pageErrors(), []);
    assert.match(await p.getByRole('heading', { level: 1 }).innerText(), /rollback web 1\.0\.0 → test/);
    await p.goto(`${server.url}/#/service/web/test`);
    await p.locator('table.history tbody tr').first().waitFor();
    // the log tail of the release's pod (kwok's pods serve no log: each says so in its place)
    await p.getByRole('button', { name: /the last 100 lines/ }).click();
    await p.locator('pre.logs').waitFor();
    assert.match(await p.locator('pre.logs').innerText(), /^web-[a-z0-9-]+\/web {2}/m);
    await screenshot(p, 'service');
    await p.context().close();

    const v = await page();
    await login(v, server.url, tokens.viewer);
    await v.goto(`${server.url}/#/service/web/test`);
    await v.locator('table.history tbody tr').first().waitFor();
    assert.equal(await v.locator('.actions').count(), 0);
    assert.equal(await v.getByRole('button', { name: /Deploy|Roll back|Promote/ }).count(), 0);
    await screenshot(v, 'service-viewer');
    await v.context().close();
    const refused = await server.api<{ error: { code: string } }>(
      'POST',
      '/api/v1/rollbacks',
      tokens.viewer,
      {
        service: 'web',
        environment: 'test',
      },
    );
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'E_FORBIDDEN');
    // the dry-run asks the cluster with ferry's credentials: deployers only, like a deploy
    const dry = await server.api<{ error: { code: string } }>(
      'GET',
      '/api/v1/services/web/environments/test/diff?version=9.9.9',
      tokens.viewer,
    );
    assert.equal(dry.status, 403);
  },
);

test(
  'promote from the page queues a promotion (not a deploy) and shows its dry-run first',
  { timeout: 120_000 },
  async () => {
    const p = await page();
    await login(p, server.url, tokens.deployer);
    const trace = tracePage(p, server.url, tokens.deployer);
    await p.goto(`${server.url}/#/service/web/stage`);
    await p.getByRole('button', { name: 'Promote 1.0.0 from test…' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.locator('.diffs').waitFor();
    const shown = await dialog.innerText();
    // nothing runs in stage yet: the dry-run creates the objects
    assert.match(shown, /Promote web 1\.0\.0 from test to stage/);
    assert.match(shown, /Deployment\/web \(create\)/);
    const posted: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST') posted.push(new URL(r.url()).pathname);
    });
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await p.waitForURL(/#\/release\/web\/stage\/\d+$/, { timeout: 30_000 });
    await waitExplained(p.locator('.summary .health', { hasText: 'succeeded' }), trace, 90_000);
    assert.match(await p.getByRole('heading', { level: 1 }).innerText(), /promote web 1\.0\.0 → stage/);
    assert.deepEqual(posted, ['/api/v1/promotions']);
    const { requests } = (
      await server.api<{ requests: { kind: string; environment: string }[] }>(
        'GET',
        '/api/v1/requests?limit=1',
        tokens.viewer,
      )
    ).body;
    assert.deepEqual([requests[0]?.kind, requests[0]?.environment], ['promote', 'stage']);
    trace.stop();
    assert.deepEqual(trace.pageErrors(), []);
    await p.context().close();
  },
);

test(
  'the Delivery page shows what ferry dora -o json prints; the audit shows who did what',
  { timeout: 60_000 },
  async () => {
    const r = await cli('dora', '--env', 'test', '--since', '30d', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const dora = JSON.parse(r.stdout) as DoraReport;
    const p = await page();
    await login(p, server.url, tokens.admin);
    await p.goto(`${server.url}/#/delivery/test`);
    await p.locator('[data-figure="deployments"]').waitFor();
    const shown = await p
      .locator('[data-figure]')
      .evaluateAll((els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-figure'), e.getAttribute('data-value')])),
      );
    const o = dora.overall;
    const str = (v: number | null) => (v === null ? '' : String(v));
    assert.deepEqual(shown, {
      deployments: str(o.frequency.deployments),
      'lead-time': str(o.leadTime.medianMs),
      'fail-rate': str(o.changeFailRate.rate),
      recovery: str(o.recovery.medianMs),
      rework: str(o.reworkRate.rate),
    });
    // the CLI deploy, the page's deploy and rollback: 2 deployments, 1 rework (the rollback)
    assert.equal(o.frequency.deployments, 2);
    assert.deepEqual([o.reworkRate.rework, o.reworkRate.releases], [1, 3]);
    assert.equal(await p.locator('.chart canvas').count(), 3);
    await screenshot(p, 'delivery');

    await p.goto(`${server.url}/#/audit`);
    await p.locator('table tbody tr').first().waitFor();
    const audit = await p.locator('table').innerText();
    assert.match(audit, /dan\tPOST \/api\/v1\/rollbacks\tweb\ttest/);
    assert.match(audit, /dan\tPOST \/api\/v1\/deploys\tweb\ttest/);
    await screenshot(p, 'audit');
    await p.context().close();
  },
);
