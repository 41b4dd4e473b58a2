// The team server as a team runs it: one `ferry server` PROCESS (the built bin/ferry) on
// PostgreSQL, a generated project of 500 services × 10 environments and 100,000 releases.
//   1. latency (p50/p99, sequential requests) of GET /api/v1/services (the matrix; pages of 100
//      and of 500) and of one release GET /api/v1/releases/{service}/{environment}/{id}
//   2. the server's RSS (VmRSS, VmHWM from /proc/<pid>/status) after those runs
//   3. SSE fan-out: 100 clients on GET /api/v1/events; per event (a request.queued of a deploy
//      into e09, which needs an approval so nothing runs), the time until all 100 have it
//   4. 100 concurrent deploy requests (5 versions × 20 service/environment pairs on the test
//      cluster) to completion vs the same 100 rollouts with `kubectl apply --server-side` +
//      `kubectl rollout status` in 20 parallel lanes (one per pair), alternated, with ratios.
// The releases are SEEDED with bulk SQL (INSERT … SELECT generate_series into releases, steps and
// release_kinds, the tables of src/store/sql-schema.ts) — not through ferry: it is a benchmark's
// fixture, made in seconds. Their objects are the rendered objects of a real service, so a
// release's diff to the one before is a real diff. The 20 deploy pairs of part 4 get no seeded
// history (they start as a first deploy), so 100,000 releases are spread over the other 4,980.
// Needs the local cluster and PostgreSQL (bash scripts/cluster/ensure.sh; bash
// scripts/postgres/ensure.sh) or FERRY_TEST_KUBECONFIG / FERRY_BENCH_PG (an admin URL).
// Prints the tables with the load average, writes bench/results/server.json.
// Run: npm run build && npx tsx bench/server.ts [rounds=2] [--workers N (default 20)] [--no-deploys]
// (--no-deploys: parts 1–3 only)
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { stringify } from 'yaml';
import { loadApp } from '../src/manifest/load.ts';
import { planWorkload } from '../src/engine/plan.ts';
import { median } from './processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferryBin = join(root, 'bin/ferry');
const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2);
const workersArg = process.argv.indexOf('--workers');
const workers = workersArg > 0 ? Number(process.argv[workersArg + 1]) : 20;
const withDeploys = !process.argv.includes('--no-deploys');
const SERVICES = 500;
const ENVIRONMENTS = 10;
const RELEASES = 100_000;
const DEPLOY_PAIRS = 20;
const DEPLOY_ENV = 'e08';
const GATED_ENV = 'e09';
const SSE_CLIENTS = 100;
const SSE_EVENTS = 20;
const SAMPLES = 100;

if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (bash scripts/cluster/ensure.sh)`);
if (!existsSync(join(root, 'dist/ferry.cjs'))) throw new Error('build first: npm run build');
const pgAdmin = process.env.FERRY_BENCH_PG ?? readFileSync(join(root, '.ferry/postgres/url'), 'utf8').trim();

const id = randomBytes(3).toString('hex');
const nsOf = (env: string) => `fbs-${id}-${env}`;
const nsKubectl = `fbs-${id}-kubectl`;
const work = mkdtempSync(join(tmpdir(), 'ferry-bench-server-'));
const svc = (i: number) => `s${String(i).padStart(3, '0')}`;
const envName = (i: number) => `e${String(i).padStart(2, '0')}`;
const envs = Array.from({ length: ENVIRONMENTS }, (_, i) => envName(i));
const pairs = Array.from({ length: DEPLOY_PAIRS }, (_, i) => svc(i));
const run = promisify(execFile);

function serviceYaml(name: string): string {
  return `service: ${name}\nimage: registry.example.com/bench/${name}\ncommand: ./serve\nport: 8080\nhealth: /healthz\nresources: { cpu: 100m, memory: 64Mi }\ninstances: 1\n`;
}

function writeProject(dir: string, count: number, namespace: (env: string) => string): void {
  const lines = ["services: ['services/*']", 'environments:'];
  for (const e of envs) {
    lines.push(`  ${e}:`, `    namespace: ${namespace(e)}`, '    tls: { disabled: true }');
    if (e === GATED_ENV) lines.push('    approvals: 1');
  }
  lines.push('policy:', '  progressDeadline: 120s', '');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ferry.platform.yaml'), lines.join('\n'));
  for (let i = 0; i < count; i++) {
    mkdirSync(join(dir, 'services', svc(i)), { recursive: true });
    writeFileSync(join(dir, 'services', svc(i), 'ferry.yaml'), serviceYaml(svc(i)));
  }
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}

const now = () => performance.timeOrigin + performance.now();

// --- the database, the project, the seed -----------------------------------------------------
const database = `ferry_bench_${process.pid}_${id}`;
const admin = new pg.Client({ connectionString: pgAdmin });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
await admin.end();
const stateUrl = new URL(pgAdmin);
stateUrl.pathname = `/${database}`;
const state = stateUrl.toString();

const projectDir = join(work, 'project');
writeProject(projectDir, SERVICES, nsOf);
const kubectlDir = join(work, 'kubectl');
writeProject(kubectlDir, DEPLOY_PAIRS, () => nsKubectl);
const env = { ...process.env, FERRY_STATE: state, NO_COLOR: '1', KUBECONFIG: kubeconfig };

const children = new Set<ChildProcess>();
const kc = (...args: string[]) => run(kubectl, ['--kubeconfig', kubeconfig, ...args]);

async function cleanup(): Promise<void> {
  for (const c of children) c.kill('SIGKILL');
  await kc('delete', 'namespace', ...envs.map(nsOf), nsKubectl, '--wait=false', '--ignore-not-found').catch(
    () => undefined,
  );
  const c = new pg.Client({ connectionString: pgAdmin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await c.end();
  rmSync(work, { recursive: true, force: true });
}

try {
  // the first admin token, as an installation gets it (this also creates the schema)
  const made = execFileSync(
    ferryBin,
    ['token', 'create', '--name', 'bench', '--role', 'admin', '-o', 'json'],
    { env, encoding: 'utf8' },
  );
  const token = (JSON.parse(made) as { token: string }).token;

  const seedStart = now();
  const app = await loadApp(projectDir);
  const template = JSON.stringify(planWorkload(app, svc(0), envName(0), '__V__').objects);
  const db = new pg.Client({ connectionString: state });
  db.on('error', () => undefined); // the cleanup's DROP DATABASE … WITH (FORCE) ends it
  await db.connect();
  const pairCount = SERVICES * ENVIRONMENTS - DEPLOY_PAIRS;
  const base = Date.now() - RELEASES * 60_000;
  await db.query('BEGIN');
  // pairs: every service × environment but the deploy pairs of part 4, numbered 0…4979;
  // release g goes to pair g % 4980, its version is its round g / 4980
  await db.query(
    `CREATE TEMP TABLE bench_pairs AS
       SELECT row_number() OVER (ORDER BY s, e) - 1 AS p,
              'e' || lpad(e::text, 2, '0') AS environment, 's' || lpad(s::text, 3, '0') AS service
       FROM generate_series(0, $1::int - 1) s, generate_series(0, $2::int - 1) e
       WHERE NOT (e = $3::int AND s < $4::int)`,
    [SERVICES, ENVIRONMENTS, Number(DEPLOY_ENV.slice(1)), DEPLOY_PAIRS],
  );
  await db.query(
    `INSERT INTO releases (service, environment, namespace, version, manifest_digest, kind, actor, outcome,
                           message, started_at, ended_at, objects)
       SELECT b.service, b.environment, 'fbs-${id}-' || b.environment, '1.' || (g / $1::int) || '.0',
              md5(g::text), CASE WHEN g % 17 = 0 THEN 'rollback' ELSE 'deploy' END, 'bench@ferry',
              CASE WHEN g % 23 = 0 THEN 'failed' ELSE 'succeeded' END, '',
              $2::bigint + g::bigint * 60000, $2::bigint + g::bigint * 60000 + 20000,
              replace(replace($3::text, '${svc(0)}', b.service), '__V__', '1.' || (g / $1::int) || '.0')
       FROM generate_series(0, $4::int - 1) g JOIN bench_pairs b ON b.p = g % $1::int
       ORDER BY g`,
    [pairCount, base, template, RELEASES],
  );
  await db.query(
    `INSERT INTO steps (release_id, seq, name, outcome, message, started_at, ended_at)
       SELECT r.id, s.seq, s.name, 'succeeded', '', r.started_at + s.seq * 2000, r.started_at + s.seq * 2000 + 1500
       FROM releases r, (VALUES (1, 'plan'), (2, 'lock'), (3, 'preflight'), (4, 'apply'), (5, 'track')) AS s(seq, name)`,
  );
  await db.query(
    `INSERT INTO release_kinds (service, environment, kind)
       SELECT service, environment, k FROM bench_pairs, (VALUES ('Deployment'), ('Service')) AS kinds(k)`,
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM releases')).rows as [{ n: number }];
  const samples = (
    await db.query(`SELECT service, environment, id FROM releases ORDER BY md5(id::text) LIMIT ${SAMPLES}`)
  ).rows as { service: string; environment: string; id: string }[];
  await db.end();
  const seedMs = now() - seedStart;
  console.error(`seeded ${n} releases in ${(seedMs / 1000).toFixed(1)} s`);

  // --- the server process ----------------------------------------------------------------------
  const child = spawn(
    ferryBin,
    [
      'server',
      '--listen',
      '127.0.0.1:0',
      '-C',
      projectDir,
      '--kubeconfig',
      kubeconfig,
      '--workers',
      String(workers),
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.add(child);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let serverErr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (b: Buffer) => {
      serverErr += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(serverErr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`ferry server exited ${code}: ${serverErr}`)));
  });
  const headers = { authorization: `Bearer ${token}` };

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${url}${path}`, {
      signal: AbortSignal.timeout(120_000),
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function latency(paths: () => string, count: number): Promise<number[]> {
    const ms: number[] = [];
    for (let i = 0; i < count + 5; i++) {
      const t0 = now();
      const res = await fetch(`${url}${paths()}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${paths()}: ${res.status}`);
      if (i >= 5) ms.push(now() - t0); // the first 5 warm up
    }
    return ms;
  }

  // the live status is read once before measuring (the matrix is answered from it)
  for (let i = 0; i < 100; i++) {
    const m = await api<{ liveAt?: string }>('GET', '/api/v1/services?limit=1');
    if (m.body.liveAt) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const matrix = await api<{ total: number; services: { cells: Record<string, { release?: unknown }> }[] }>(
    'GET',
    '/api/v1/services?limit=500',
  );
  if (matrix.body.total !== SERVICES) throw new Error(`the matrix has ${matrix.body.total} services`);

  console.error('latency runs');
  let k = 0;
  const lat = {
    page100: await latency(() => '/api/v1/services?limit=100', SAMPLES),
    page500: await latency(() => '/api/v1/services?limit=500', SAMPLES / 2),
    release: await latency(() => {
      const s = samples[k++ % samples.length]!;
      return `/api/v1/releases/${s.service}/${s.environment}/${s.id}`;
    }, SAMPLES),
  };
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  const rss = { vmRssMb: kb('VmRSS') / 1024, vmHwmMb: kb('VmHWM') / 1024 };
  const loadAfterLatency = loadavg();

  // --- SSE fan-out -----------------------------------------------------------------------------
  /** per request id: when each client got its request.queued event */
  const got = new Map<number, { at: number; recv: number[] }>();
  const sockets: { destroy: () => void }[] = [];
  await Promise.all(
    Array.from(
      { length: SSE_CLIENTS },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = httpRequest(
            `${url}/api/v1/events?types=request.queued`,
            { headers: { ...headers, accept: 'text/event-stream' } },
            (res) => {
              if (res.statusCode !== 200) reject(new Error(`events: ${res.statusCode}`));
              let buf = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                const t = now();
                buf += chunk;
                let end: number;
                while ((end = buf.indexOf('\n\n')) >= 0) {
                  const frame = buf.slice(0, end);
                  buf = buf.slice(end + 2);
                  const data = /^data: (.*)$/m.exec(frame)?.[1];
                  if (!data) continue;
                  const e = JSON.parse(data) as { request: { id: number }; at: string };
                  const entry = got.get(e.request.id) ?? { at: Date.parse(e.at), recv: [] };
                  entry.recv.push(t);
                  got.set(e.request.id, entry);
                }
              });
              resolve();
            },
          );
          req.on('error', reject);
          req.end();
          sockets.push({ destroy: () => req.destroy() });
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  console.error('SSE fan-out');
  const sse: { fromEventMs: number; fromPostMs: number; spreadMs: number }[] = [];
  for (let i = 0; i < SSE_EVENTS; i++) {
    const t0 = now();
    const q = await api<{ id: number }>('POST', '/api/v1/deploys', {
      service: svc(100 + i),
      environment: GATED_ENV,
      version: `2.0.${i}`,
    });
    if (q.status !== 202) throw new Error(`deploy into ${GATED_ENV}: ${q.status} ${JSON.stringify(q.body)}`);
    const until = Date.now() + 10_000;
    while ((got.get(q.body.id)?.recv.length ?? 0) < SSE_CLIENTS && Date.now() < until)
      await new Promise((r) => setTimeout(r, 2));
    const e = got.get(q.body.id);
    if (!e || e.recv.length < SSE_CLIENTS)
      throw new Error(`event ${q.body.id}: ${e?.recv.length ?? 0} clients`);
    const last = Math.max(...e.recv);
    sse.push({ fromEventMs: last - e.at, fromPostMs: last - t0, spreadMs: last - Math.min(...e.recv) });
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const s of sockets) s.destroy();
  const loadAfterSse = loadavg();

  // --- 100 concurrent deploys vs kubectl in 20 lanes ---------------------------------------------
  const FINAL = new Set(['succeeded', 'failed', 'rejected', 'cancelled']);
  async function ferryRound(versions: string[]): Promise<number> {
    const t0 = now();
    const answers = await Promise.all(
      versions.flatMap((version) =>
        pairs.map((service) =>
          api<{ id: number }>('POST', '/api/v1/deploys', { service, environment: DEPLOY_ENV, version }),
        ),
      ),
    );
    const bad = answers.filter((a) => a.status !== 202);
    if (bad.length) throw new Error(`deploys refused: ${JSON.stringify(bad[0])}`);
    const open = new Set(answers.map((a) => a.body.id));
    const failed: string[] = [];
    while (open.size) {
      const page = await api<{ requests: { id: number; state: string; message: string }[] }>(
        'GET',
        `/api/v1/requests?environment=${DEPLOY_ENV}&limit=500`,
      );
      for (const r of page.body.requests ?? []) {
        if (open.has(r.id) && FINAL.has(r.state)) {
          open.delete(r.id);
          if (r.state !== 'succeeded') failed.push(`${r.id} ${r.state}: ${r.message}`);
        }
      }
      if (open.size) await new Promise((r) => setTimeout(r, 250));
    }
    if (failed.length) throw new Error(`ferry deploys failed: ${failed.join('; ')}`);
    return now() - t0;
  }

  const kubectlApp = await loadApp(kubectlDir);
  function manifest(service: string, version: string): string {
    const plan = planWorkload(kubectlApp, service, DEPLOY_ENV, version);
    const file = join(work, `kubectl-${service}-${version}.yaml`);
    const docs = [...(plan.namespace ? [plan.namespace] : []), ...plan.objects].map((o) => stringify(o));
    writeFileSync(file, docs.join('---\n'));
    return file;
  }
  async function kubectlRound(versions: string[]): Promise<number> {
    const files = pairs.map((s) => versions.map((v) => manifest(s, v)));
    const t0 = now();
    await Promise.all(
      pairs.map(async (service, lane) => {
        for (const file of files[lane]!) {
          await kc(
            'apply',
            '--server-side',
            '--field-manager',
            'kubectl-bench',
            '--force-conflicts',
            '-f',
            file,
          );
          await kc('rollout', 'status', `deployment/${service}`, '-n', nsKubectl, '--timeout', '300s');
        }
      }),
    );
    return now() - t0;
  }

  const deploys: { round: number; first: string; ferryMs: number; kubectlMs: number }[] = [];
  if (withDeploys) {
    // first releases on both sides (namespaces, Services; not measured)
    console.error('first releases of the 20 pairs on both sides');
    await ferryRound(['0.0.1']);
    await kubectlRound(['0.0.1']);
  }
  for (let r = 0; withDeploys && r < rounds; r++) {
    const versions = Array.from({ length: 5 }, (_, v) => `${r + 1}.0.${v}`);
    const ferryFirst = r % 2 === 0;
    let ferryMs = 0;
    let kubectlMs = 0;
    if (ferryFirst) ferryMs = await ferryRound(versions);
    kubectlMs = await kubectlRound(versions);
    if (!ferryFirst) ferryMs = await ferryRound(versions);
    deploys.push({ round: r + 1, first: ferryFirst ? 'ferry' : 'kubectl', ferryMs, kubectlMs });
    console.error(
      `deploy round ${r + 1}: ferry ${ferryMs.toFixed(0)} ms, kubectl ${kubectlMs.toFixed(0)} ms`,
    );
  }
  const statusEnd = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const hwmEnd = Number(/^VmHWM:\s+(\d+) kB/m.exec(statusEnd)?.[1]) / 1024;

  child.kill('SIGTERM');
  const code = await exited;
  children.delete(child);
  if (code !== 0) throw new Error(`ferry server exited ${code} on SIGTERM: ${serverErr.slice(-2000)}`);

  // --- the report ------------------------------------------------------------------------------
  const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  const row = (name: string, xs: number[], target: string) =>
    `| ${name} | ${xs.length} | ${median(xs).toFixed(1)} | ${quantile(xs, 0.99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${target} |`;
  console.log(
    `ferry server (bin/ferry, ${workers} workers) on PostgreSQL; ${SERVICES} services × ${ENVIRONMENTS} environments, ${n} releases (seeded by SQL in ${(seedMs / 1000).toFixed(1)} s)`,
  );
  console.log(`load average after the latency runs: ${la(loadAfterLatency)}`);
  console.log(
    '| request | n | p50 ms | p99 ms | max ms | target |\n| --- | ---: | ---: | ---: | ---: | --- |',
  );
  console.log(row('GET /api/v1/services?limit=100', lat.page100, 'p99 < 100 ms'));
  console.log(row('GET /api/v1/services?limit=500', lat.page500, 'p99 < 100 ms'));
  console.log(row('GET /api/v1/releases/{s}/{e}/{id}', lat.release, 'p99 < 100 ms'));
  console.log(
    `\nserver RSS after the latency runs: VmRSS ${rss.vmRssMb.toFixed(0)} MB, VmHWM ${rss.vmHwmMb.toFixed(0)} MB (target < 200 MB); VmHWM at the end: ${hwmEnd.toFixed(0)} MB`,
  );
  const sseFrom = sse.map((s) => s.fromEventMs);
  const ssePost = sse.map((s) => s.fromPostMs);
  console.log(`\nSSE: ${SSE_CLIENTS} clients, ${SSE_EVENTS} events; load average ${la(loadAfterSse)}`);
  console.log('| measure | median ms | max ms | target |\n| --- | ---: | ---: | --- |');
  console.log(
    `| event time (at) → the last of ${SSE_CLIENTS} clients has it | ${median(sseFrom).toFixed(1)} | ${Math.max(...sseFrom).toFixed(1)} | < 100 ms |`,
  );
  console.log(
    `| POST sent → the last of ${SSE_CLIENTS} clients has its event | ${median(ssePost).toFixed(1)} | ${Math.max(...ssePost).toFixed(1)} | |`,
  );
  console.log(
    `| first → last client | ${median(sse.map((s) => s.spreadMs)).toFixed(1)} | ${Math.max(...sse.map((s) => s.spreadMs)).toFixed(1)} | |`,
  );
  const loadEnd = loadavg();
  const fM = median(deploys.map((d) => d.ferryMs));
  const kM = median(deploys.map((d) => d.kubectlMs));
  if (withDeploys) {
    console.log(
      `\n100 deploys (5 versions × ${DEPLOY_PAIRS} pairs) to completion; load average ${la(loadEnd)}`,
    );
    console.log(
      '| round | first | ferry server ms | kubectl 20 lanes ms | ferry/kubectl |\n| ---: | --- | ---: | ---: | ---: |',
    );
    for (const d of deploys)
      console.log(
        `| ${d.round} | ${d.first} | ${d.ferryMs.toFixed(0)} | ${d.kubectlMs.toFixed(0)} | ${(d.ferryMs / d.kubectlMs).toFixed(2)}× |`,
      );
    console.log(`| median | | ${fM.toFixed(0)} | ${kM.toFixed(0)} | ${(fM / kM).toFixed(2)}× |`);
  }

  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, withDeploys ? 'bench/results/server.json' : 'bench/results/server-reads.json'),
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        services: SERVICES,
        environments: ENVIRONMENTS,
        releases: n,
        workers,
        seedMs,
        loadavg: { afterLatency: loadAfterLatency, afterSse: loadAfterSse, end: loadEnd },
        latencyMs: lat,
        rssMb: { ...rss, vmHwmEndMb: hwmEnd },
        sse: { clients: SSE_CLIENTS, events: sse },
        deploys: { requests: 5 * DEPLOY_PAIRS, pairs: DEPLOY_PAIRS, rounds: deploys, ratioMedian: fM / kM },
      },
      null,
      2,
    )}\n`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
