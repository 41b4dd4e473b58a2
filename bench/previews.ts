// Previews on the local cluster, through the real server (SQLite store, loopback HTTP) and a local
// GitHub REST server:
//   A. a signed `pull_request opened` delivery → a 20-service preview all Ready (the request's
//      end: namespace, TLS copy, 20 releases tracked until Ready, statuses, the comment), then
//      `closed` → every object and the namespace gone. Target: < 20 s to Ready.
//   B. the webhook's answer time while previews build: `opened` for P pull requests at once
//      (S services each), then a stream of signed deliveries (ignored actions and pings: each is
//      verified, deduplicated in the store, answered) every 50 ms until every preview is Ready.
//      Target: p99 < 100 ms.
// Prints a table with the machine's load, writes bench/results/previews.json.
// The store is SQLite, or with FERRY_BENCH_PG=1 a fresh database on the test PostgreSQL (the
// team server's store: its I/O does not hold the event loop as better-sqlite3's calls do).
// Run: npx tsx bench/previews.ts [rounds=3] [previews=20] [servicesPerPreview=3]
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { githubSettings } from '../src/server/github/client.ts';
import { testCluster, waitFor } from '../test/kit/cluster.ts';
import { deliver, fakeGitHub, pullRequestPayload } from '../test/kit/github.ts';
import pg from 'pg';
import { pgAdminUrl, sqliteState, testServer, type TestServer } from '../test/server/kit.ts';

const rounds = Number(process.argv[2] ?? 3);
const previewCount = Number(process.argv[3] ?? 20);
const perPreview = Number(process.argv[4] ?? 3);
const SECRET = randomBytes(12).toString('hex');
const tag = randomBytes(3).toString('hex');
const root = fileURLToPath(new URL('..', import.meta.url));

function project(services: number, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-previews-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  stage: { namespace: ${prefix}-stage, domain: stage.bench.test, tls: { disabled: true } }
previews: { from: stage, namespace: '${prefix}-\${number}', waitForVersion: false, maxCount: 100 }
policy: { progressDeadline: 60s }
`,
  );
  for (let i = 1; i <= services; i++) {
    const name = `s${String(i).padStart(2, '0')}`;
    mkdirSync(join(dir, 'services', name), { recursive: true });
    writeFileSync(
      join(dir, 'services', name, 'ferry.yaml'),
      `service: ${name}\nimage: r.example.com/bench/${name}\nport: 8080\nhealth: /healthz\nresources: { cpu: 100m, memory: 64Mi }\nroutes: [{ path: /, public: true }]\n`,
    );
  }
  return dir;
}

const sha = (n: number, round: number) =>
  `${n.toString(16).padStart(4, '0')}${round.toString(16).padStart(4, '0')}`.repeat(5);

async function until(
  server: TestServer,
  token: string,
  id: number,
): Promise<{ state: string; message: string }> {
  return waitFor(
    `request ${id}`,
    async () => {
      const r = await server.api<{ state: string; message: string }>('GET', `/api/v1/requests/${id}`, token);
      return FINAL.includes(r.body.state) ? r.body : undefined;
    },
    600_000,
    100,
  );
}

const FINAL = ['succeeded', 'failed', 'rejected', 'cancelled'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

const usePg = process.env.FERRY_BENCH_PG === '1';
const databases: string[] = [];
async function pgRun(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
/** Where a server keeps its records: a SQLite file in the project, or a fresh PostgreSQL database. */
async function stateFor(dir: string, name: string): Promise<string> {
  if (!usePg) return sqliteState(dir);
  const db = `ferry_bench_${name}`;
  await pgRun(`CREATE DATABASE ${db}`);
  databases.push(db);
  const u = new URL(pgAdminUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

const cluster = await testCluster();
const gh = await fakeGitHub();
const settings = () => ({
  workers: 4,
  previewSweepMs: 0,
  previewResyncMs: 0,
  github: githubSettings({}, { apiUrl: gh.url, token: gh.token, webhookSecret: SECRET }),
  statusRefreshMs: 60_000,
});

async function namespaceGone(name: string) {
  await waitFor(
    `namespace ${name} gone`,
    async () => ((await cluster.core.readNamespace({ name }).catch(() => undefined)) ? undefined : true),
    300_000,
    200,
  );
}

const load0 = loadavg();
// --- A: one 20-service preview, webhook → all Ready -------------------------------------------
const prefixA = `bpa${tag}`;
await cluster.core.createNamespace({ body: { metadata: { name: `${prefixA}-stage` } } });
const dirA = project(20, prefixA);
const a = await testServer({ dir: dirA, state: await stateFor(dirA, prefixA), settings: settings() });
const adminA = await a.token('admin');
const roundsA: { readyMs: number; answerMs: number; teardownMs: number; load: number }[] = [];
for (let r = 1; r <= rounds; r++) {
  const n = 100 + r;
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const d = await deliver(
    a.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action: 'opened', number: n, sha: sha(n, r) }),
  );
  const out = await until(a, adminA, d.body.queued as number);
  const readyMs = performance.now() - t0;
  if (out.state !== 'succeeded') throw new Error(`preview ${n}: ${out.state}: ${out.message}`);
  const t1 = performance.now();
  const c = await deliver(
    a.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action: 'closed', number: n, sha: sha(n, r) }),
  );
  await until(a, adminA, c.body.queued as number);
  await namespaceGone(`${prefixA}-${n}`);
  roundsA.push({ readyMs, answerMs: d.ms, teardownMs: performance.now() - t1, load });
  process.stderr.write(
    `A round ${r}: ready ${readyMs.toFixed(0)} ms, teardown ${(performance.now() - t1).toFixed(0)} ms (load ${load.toFixed(1)})\n`,
  );
}
await a.stop(5000);

// --- B: webhook answers while P previews build ----------------------------------------------
const prefixB = `bpb${tag}`;
await cluster.core.createNamespace({ body: { metadata: { name: `${prefixB}-stage` } } });
const dirB = project(perPreview, prefixB);
const b = await testServer({ dir: dirB, state: await stateFor(dirB, prefixB), settings: settings() });
const adminB = await b.token('admin');
const answers: number[] = [];
const loadB0 = loadavg()[0]!;
const tB = performance.now();
const queued: number[] = [];
for (let i = 1; i <= previewCount; i++) {
  const d = await deliver(
    b.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action: 'opened', number: 200 + i, sha: sha(200 + i, 0) }),
  );
  answers.push(d.ms);
  queued.push(d.body.queued as number);
}
let building = true;
// one poll of the queue every 500 ms (not one per request: the bench must not be the load)
const all = (async () => {
  const ids = new Set(queued);
  for (;;) {
    const page = await b.api<{ requests: { id: number; state: string; message: string }[] }>(
      'GET',
      '/api/v1/requests?limit=200',
      adminB,
    );
    const mine = page.body.requests.filter((r) => ids.has(r.id));
    if (mine.length === ids.size && mine.every((r) => FINAL.includes(r.state))) return mine;
    await new Promise((r) => setTimeout(r, 500));
  }
})().finally(() => (building = false));
let k = 0;
while (building) {
  const ignored =
    k % 2 === 0
      ? await deliver(
          b.url,
          SECRET,
          'pull_request',
          pullRequestPayload({ action: 'edited', number: 200 + (k % previewCount) + 1, sha: sha(1, 1) }),
        )
      : await deliver(b.url, SECRET, 'ping', { zen: 'bench', hook_id: 1 });
  answers.push(ignored.ms);
  k++;
  await new Promise((r) => setTimeout(r, 50));
}
const results = await all;
const buildMs = performance.now() - tB;
const loadB1 = loadavg()[0]!;
const failed = results.filter((x) => x.state !== 'succeeded');
for (let i = 1; i <= previewCount; i++) {
  const c = await deliver(
    b.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action: 'closed', number: 200 + i, sha: sha(200 + i, 0) }),
  );
  await until(b, adminB, c.body.queued as number);
}
await b.stop(5000);
await gh.close();
for (const ns of [`${prefixA}-stage`, `${prefixB}-stage`])
  await cluster.core.deleteNamespace({ name: ns }).catch(() => undefined);
for (const db of databases) await pgRun(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
rmSync(dirA, { recursive: true, force: true });
rmSync(dirB, { recursive: true, force: true });

const med = (xs: number[]) => pct(xs, 50);
const summary = {
  at: new Date().toISOString(),
  cpus: cpus().length,
  store: usePg ? 'postgres' : 'sqlite',
  loadBefore: load0,
  loadAfter: loadavg(),
  a: {
    services: 20,
    rounds: roundsA,
    readyMedianMs: med(roundsA.map((r) => r.readyMs)),
    readyMaxMs: Math.max(...roundsA.map((r) => r.readyMs)),
    teardownMedianMs: med(roundsA.map((r) => r.teardownMs)),
  },
  b: {
    previews: previewCount,
    servicesPerPreview: perPreview,
    deliveries: answers.length,
    p50: pct(answers, 50),
    p95: pct(answers, 95),
    p99: pct(answers, 99),
    max: Math.max(...answers),
    allReadyMs: buildMs,
    failed: failed.length,
    load: [loadB0, loadB1],
  },
};
const f = (x: number) => x.toFixed(0);
process.stdout.write(
  [
    `previews bench — ${summary.store} store, ${summary.cpus} cores, load ${load0.map((x) => x.toFixed(1)).join(' ')} → ${summary.loadAfter.map((x) => x.toFixed(1)).join(' ')}`,
    '',
    '| scenario | figure |',
    '| --- | ---: |',
    `| A. webhook → 20-service preview all Ready, median of ${rounds} | ${f(summary.a.readyMedianMs)} ms (max ${f(summary.a.readyMaxMs)}) |`,
    `| A. closed → objects and namespace gone, median | ${f(summary.a.teardownMedianMs)} ms |`,
    `| B. webhook answer p50 / p95 / p99 / max, ${answers.length} deliveries while ${previewCount} previews × ${perPreview} services build | ${f(summary.b.p50)} / ${f(summary.b.p95)} / ${f(summary.b.p99)} / ${f(summary.b.max)} ms |`,
    `| B. all ${previewCount} previews Ready (${failed.length} failed) | ${f(buildMs)} ms |`,
    '',
  ].join('\n'),
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/previews.json'), `${JSON.stringify(summary, null, 2)}\n`);
