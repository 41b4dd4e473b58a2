// The dashboard in Debian's Chromium (playwright-core) against a real `ferry server` on a SQLite
// store holding one release of each of 500 services in each of 10 environments (bench/repo.ts):
// - first contentful paint and "interactive" of the matrix (the first server-side page, 50
//   services × 10 environments, of 500): interactive is when the rows are on screen and the main
//   thread has run a task queued after them; median of `rounds` fresh page loads;
// - a step event on screen: the server's store starts a step of a running release; the release
//   page shows it (a MutationObserver notes the time); both clocks are this machine's;
// - the JavaScript and CSS bundles, gzipped.
// The server runs without a cluster (its live status is unknown): the page's numbers do not
// depend on it. The matrix request's own time is shown beside, as the browser timed it. Prints a table with the machine's load; writes bench/results/web.json.
// Run: npx tsx bench/web.ts [rounds=5] [services=500]  (after npm run build:web)
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { platformOf } from '../src/engine/actions/environments.ts';
import { createEngine } from '../src/engine/config.ts';
import { silentLogger } from '../src/engine/log.ts';
import { loadApp } from '../src/manifest/load.ts';
import { DEFAULT_SETTINGS } from '../src/server/context.ts';
import { openProject } from '../src/server/project/open.ts';
import { startServer } from '../src/server/server.ts';
import { createToken } from '../src/server/token-admin.ts';
import { openStore } from '../src/store/open.ts';
import { keyOf, STEP_NAMES, type NewRelease } from '../src/store/types.ts';
import { generateRepo } from './repo.ts';

const rounds = Number(process.argv[2] ?? 5);
const services = Number(process.argv[3] ?? 500);
const ENVIRONMENTS = 10;
const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(root, 'dist', 'web');
if (!existsSync(join(webDir, 'index.html'))) throw new Error('dist/web is not built: npm run build:web');

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};

const load0 = loadavg();
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-web-'));
const state = join(dir, 'state.db');
generateRepo(dir, services, { environments: ENVIRONMENTS });
const app = await loadApp(dir);
const envs = platformOf(app).environments.map((e) => e.name);

// one succeeded release per service and environment (versions differ between environments for
// every seventh service, so rows are marked), and one running release to stream steps into
/** A release with no objects: the page reads only its summary. */
function newRelease(service: string, environment: string, version: string, startedAt: number): NewRelease {
  return {
    service,
    environment,
    namespace: environment,
    version,
    manifestDigest: 'd',
    kind: 'deploy',
    sourceRelease: undefined,
    actor: 'bench',
    objects: [],
    migrateDown: undefined,
    verification: { jobs: [], http: [], observeSeconds: 0 },
    source: {},
    startedAt,
  };
}

const seed = await openStore(state);
const t = Date.now() - 3_600_000;
for (let i = 0; i < services; i++) {
  for (const [k, env] of envs.entries()) {
    const r = await seed.startRelease(
      newRelease(`svc-${i}`, env, i % 7 === 0 && k > 0 ? `1.${k}.0` : '1.0.0', t + i),
    );
    await seed.finishRelease(keyOf(r), 'succeeded', '', t + i + 1000);
  }
}
await seed.close();

const engine = createEngine({
  root: dir,
  env: { ...process.env, FERRY_STATE: state, KUBECONFIG: join(dir, 'no-kubeconfig') },
  clusterCommand: true,
  platform: platformOf(app),
});
const server = await startServer({
  engine,
  project: openProject({ dir }),
  settings: { ...DEFAULT_SETTINGS, host: '127.0.0.1', port: 0, workers: 0, statusRefreshMs: 600_000, webDir },
  log: silentLogger,
});
const { token } = await createToken(server.ctx.records, {
  name: 'bench',
  role: 'viewer',
  environments: [],
  createdBy: 'bench',
  now: Date.now(),
});

const browser = await chromium.launch({
  executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
const init = `sessionStorage.setItem('ferry.token', ${JSON.stringify(token)});
new MutationObserver((_, obs) => {
  if (document.querySelector('table.matrix tbody tr')) {
    obs.disconnect();
    window.__rows = performance.now();
    setTimeout(() => { window.__interactive = performance.now(); }, 0);
  }
}).observe(document, { subtree: true, childList: true });`;

const fcp: number[] = [];
const interactive: number[] = [];
/** the matrix request alone, as the browser timed it */
const apiMs: number[] = [];
let rows = 0;
for (let r = 0; r < rounds; r++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(init);
  const page = await ctx.newPage();
  await page.goto(`${server.url}/#/`);
  await page.waitForFunction('window.__interactive !== undefined', undefined, { timeout: 30_000 });
  const m = (await page.evaluate(
    `({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, interactive: window.__interactive, api: (() => { const e = performance.getEntriesByType('resource').find((x) => x.name.includes('/api/v1/services')); return e ? e.responseEnd - e.startTime : NaN; })(), rows: document.querySelectorAll('table.matrix tbody tr').length })`,
  )) as { fcp: number; interactive: number; api: number; rows: number };
  fcp.push(m.fcp);
  interactive.push(m.interactive);
  apiMs.push(m.api);
  rows = m.rows;
  await ctx.close();
}

// a step event on screen: a running release of svc-0 in test, its page open, steps started by
// the server's own store (the same path a worker's release takes to the event stream)
const running = await server.ctx.store.startRelease(newRelease('svc-0', envs[0]!, '2.0.0', Date.now()));
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await ctx.addInitScript(
  `sessionStorage.setItem('ferry.token', ${JSON.stringify(token)});
window.__seen = {};
new MutationObserver(() => {
  const n = document.querySelectorAll('.steps-live li.step').length;
  if (!(n in window.__seen)) window.__seen[n] = Date.now();
}).observe(document, { subtree: true, childList: true });`,
);
const page = await ctx.newPage();
await page.goto(`${server.url}/#/release/svc-0/${envs[0]}/${running.id}`);
await page.getByRole('heading', { level: 1 }).waitFor();
await page.waitForTimeout(1000); // the event stream is open
const latencies: number[] = [];
const stepCount = 10;
for (let i = 1; i <= stepCount; i++) {
  const at = Date.now();
  await server.ctx.store.startStep(keyOf(running), STEP_NAMES[i % STEP_NAMES.length]!, at);
  await page.waitForFunction(`window.__seen[${i}] !== undefined`, undefined, { timeout: 10_000 });
  const shown = (await page.evaluate(`window.__seen[${i}]`)) as number;
  latencies.push(shown - at);
  await page.waitForTimeout(200);
}
await ctx.close();
await browser.close();
await server.stop(1000);
await engine.close();
rmSync(dir, { recursive: true, force: true });

const assets = join(webDir, 'assets');
const gz = (ext: string) =>
  readdirSync(assets)
    .filter((f) => f.endsWith(ext))
    .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
const raw = (ext: string) =>
  readdirSync(assets)
    .filter((f) => f.endsWith(ext))
    .reduce((n, f) => n + readFileSync(join(assets, f)).length, 0);
const load1 = loadavg();
const result = {
  at: new Date().toISOString(),
  cpus: cpus().length,
  node: process.version,
  chromium: browser.version(),
  loadAverage: { start: load0, end: load1 },
  services,
  environments: ENVIRONMENTS,
  rowsOnFirstPage: rows,
  rounds,
  firstContentfulPaintMs: { median: median(fcp), all: fcp },
  interactiveMs: { median: median(interactive), all: interactive },
  matrixRequestMs: { median: median(apiMs), all: apiMs },
  stepOnScreenMs: { median: median(latencies), max: Math.max(...latencies), all: latencies },
  bundle: { jsBytes: raw('.js'), jsGzipBytes: gz('.js'), cssBytes: raw('.css'), cssGzipBytes: gz('.css') },
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'web.json'), `${JSON.stringify(result, null, 2)}\n`);
const f = (x: number) => `${x.toFixed(0)} ms`;
console.log(
  `dashboard, ${services} services × ${ENVIRONMENTS} environments (first page ${rows} rows), ${rounds} loads, ${cpus().length} CPUs, Chromium ${result.chromium}; load average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${load1.map((x) => x.toFixed(1)).join(' ')}`,
);
console.log(
  [
    ['figure', 'median', 'all'],
    ['first contentful paint', f(median(fcp)), fcp.map((x) => x.toFixed(0)).join(' ')],
    ['interactive', f(median(interactive)), interactive.map((x) => x.toFixed(0)).join(' ')],
    ['of which GET /services', f(median(apiMs)), apiMs.map((x) => x.toFixed(0)).join(' ')],
    ['step event on screen', f(median(latencies)), `max ${Math.max(...latencies)} ms`],
    [
      'JS bundle gzipped',
      `${(result.bundle.jsGzipBytes / 1024).toFixed(1)} kB`,
      `${(result.bundle.jsBytes / 1024).toFixed(1)} kB raw`,
    ],
    [
      'CSS gzipped',
      `${(result.bundle.cssGzipBytes / 1024).toFixed(1)} kB`,
      `${(result.bundle.cssBytes / 1024).toFixed(1)} kB raw`,
    ],
  ]
    .map((r) => r.map((c, i) => c.padEnd(i === 0 ? 24 : 12)).join(' '))
    .join('\n'),
);
