// Fleet reads on the local cluster: `ferry status` over every service in every environment of a
// generated repository (default 500 services × 10 environments = 5,000 workloads, scaled to 0
// replicas so the simulated nodes carry no pods: status reads workloads, not pods) with 100,000
// releases in the SQLite store (20 per service × environment), and `ferry history` of one pair in
// that store; beside them the peer read, `kubectl get deployments,cronjobs -A -l
// app.kubernetes.io/managed-by=ferry -o json` (the same objects, no store, no joining). Whole
// processes of the built bin/ferry, alternated, medians, the load average printed.
// Target (issue 13): status over 500 × 10 in < 2 s.
// Run: npm run build && npx tsx bench/fleet-status.ts [rounds=5] [services=500] [environments=10]
//   → bench/results/fleet-status.json
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { openStore } from '../src/store/open.ts';
import { generateRepo } from './repo.ts';
import { median, run, type Sample } from './processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferry = join(root, 'bin/ferry');
const rounds = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 500);
const envCount = Number(process.argv[4] ?? 10);
const perPair = 20;
if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
if (!existsSync(join(root, 'dist/ferry.cjs'))) throw new Error('build first: npm run build');

const tag = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-fleet-status-'));
const statePath = join(dir, 'state.db');
const env = { KUBECONFIG: kubeconfig, FERRY_STATE: statePath, NO_COLOR: '1' };
const say = (m: string) => process.stderr.write(`fleet-status: ${m}\n`);

const names = generateRepo(dir, count, { environments: envCount });
// every environment in a namespace of its own for this run
const platformFile = join(dir, 'ferry.platform.yaml');
writeFileSync(
  platformFile,
  readFileSync(platformFile, 'utf8').replace(/namespace: ([a-z]+)/g, `namespace: fs-${tag}-$1`),
);
const envNames = [...readFileSync(platformFile, 'utf8').matchAll(/^ {2}([a-z]+): \{ namespace/gm)].map(
  (m) => m[1]!,
);
const namespaces = envNames.map((e) => `fs-${tag}-${e}`);

function kube(args: string[], input?: string): string {
  return execFileSync(kubectl, ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

const t0 = Date.now();
try {
  // the workloads ferry would apply, at 0 replicas, applied in one server-side apply per environment
  for (const [i, e] of envNames.entries()) {
    kube(['create', 'namespace', namespaces[i]!]);
    const rendered = execFileSync(
      ferry,
      ['-C', dir, 'render', '--env', e, '--version', `1.0.${perPair - 1}`],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        maxBuffer: 1 << 30,
      },
    );
    const workloads = parseAllDocuments(rendered)
      .map((d) => d.toJS() as { kind?: string; spec?: { replicas?: number; suspend?: boolean } })
      .filter((o) => o?.kind === 'Deployment' || o?.kind === 'CronJob');
    for (const o of workloads) {
      if (o.kind === 'Deployment' && o.spec) o.spec.replicas = 0;
      if (o.kind === 'CronJob' && o.spec) o.spec.suspend = true;
    }
    kube(
      ['apply', '--server-side', '--field-manager=ferry', '-f', '-'],
      workloads.map((o) => stringify(o)).join('---\n'),
    );
    say(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${e}: ${workloads.length} workloads applied`);
  }
  // the store: perPair releases for every service × environment
  const store = await openStore(statePath);
  let at = 1_700_000_000_000;
  for (const e of envNames)
    for (const s of names)
      for (let k = 0; k < perPair; k++) {
        const r = await store.startRelease({
          service: s,
          environment: e,
          namespace: `fs-${tag}-${e}`,
          version: `1.0.${k}`,
          manifestDigest: 'bench',
          kind: 'deploy',
          sourceRelease: undefined,
          actor: 'bench',
          objects: [],
          migrateDown: undefined,
          verification: { jobs: [], http: [], observeSeconds: 0 },
          source: {},
          startedAt: at++,
        });
        await store.finishRelease({ service: s, environment: e, id: r.id }, 'succeeded', '', at++);
      }
  await store.close();
  say(
    `[${((Date.now() - t0) / 1000).toFixed(0)}s] ${names.length * envNames.length * perPair} releases stored`,
  );

  const sides: Record<string, () => Sample> = {
    'ferry status (all)': () => run([[ferry, ['-C', dir, 'status', '-o', 'json']]], env),
    'kubectl get (the same workloads)': () =>
      run(
        [
          [
            kubectl,
            [
              '--kubeconfig',
              kubeconfig,
              'get',
              'deployments,cronjobs',
              '-A',
              '-l',
              'app.kubernetes.io/managed-by=ferry',
              '-o',
              'json',
            ],
          ],
        ],
        env,
      ),
    [`ferry history ${names[1]} (${perPair * names.length * envNames.length} stored)`]: () =>
      run([[ferry, ['-C', dir, 'history', names[1]!, '--env', envNames[0]!, '-o', 'json']]], env),
  };
  // what status answers, checked once: every pair, with its live workload and its newest release
  const rows = JSON.parse(
    execFileSync(ferry, ['-C', dir, 'status', '-o', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 1 << 30,
    }),
  ) as { services: unknown[] };
  const n = rows.services.length;
  if (n !== names.length * envNames.length)
    throw new Error(`status answered ${n} rows, not ${names.length * envNames.length}`);

  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  const loads: number[] = [];
  for (let i = 0; i < rounds; i++) {
    loads.push(loadavg()[0] ?? NaN);
    const order = Object.keys(sides);
    for (let k = 0; k < i % order.length; k++) order.push(order.shift()!);
    for (const k of order) samples[k]!.push(sides[k]!());
  }
  console.log(
    `${rounds} rounds, ${names.length} services × ${envNames.length} environments, ${cpus().length} CPUs; load average (1 min) per round: ${loads.map((l) => l.toFixed(1)).join(', ')}`,
  );
  console.log('| read | wall median ms | wall min ms | CPU median ms |');
  console.log('| --- | ---: | ---: | ---: |');
  const out: Record<string, { wallMs: number; minMs: number; cpuMs: number }> = {};
  for (const [k, xs] of Object.entries(samples)) {
    out[k] = {
      wallMs: median(xs.map((x) => x.wallMs)),
      minMs: Math.min(...xs.map((x) => x.wallMs)),
      cpuMs: median(xs.map((x) => x.cpuMs)),
    };
    console.log(
      `| ${k} | ${out[k].wallMs.toFixed(0)} | ${out[k].minMs.toFixed(0)} | ${out[k].cpuMs.toFixed(0)} |`,
    );
  }
  console.log(`\ntarget: ferry status over ${names.length} × ${envNames.length} < 2000 ms`);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/fleet-status.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rounds, services: names.length, environments: envNames.length, loads, results: out }, null, 2)}\n`,
  );
} finally {
  for (const ns of namespaces)
    try {
      kube(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    } catch {
      // best effort
    }
  rmSync(dir, { recursive: true, force: true });
}
