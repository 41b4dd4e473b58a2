// bench/store-kubernetes: what the Kubernetes store costs, on the local test cluster.
//   1. sizes: the compressed release body of examples/preply's prod render (each service and all
//      of them), and how many such objects one release Secret (1 MiB of data) holds;
//   2. leases: the round trip of acquire / renew / release, alone and with two clients racing;
//   3. history: one service's history grown to N releases — the queries of one pair (windowed by
//      id) against the queries that list every release (across pairs).
// Run: npm run cluster:up && npx tsx bench/store-kubernetes.ts [max-history]
// Prints tables and writes bench/results/store-kubernetes.json.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { KubeCluster } from '../src/cluster/kube.ts';
import { loadApp } from '../src/manifest/load.ts';
import { listWorkloads } from '../src/model/resolve.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';
import { release } from '../src/store/driver-contract.ts';
import { KubernetesDriver } from '../src/store/kubernetes/driver.ts';
import type { KubernetesPlacement } from '../src/store/kubernetes/placement.ts';
import { recordSelector } from '../src/store/kubernetes/names.ts';
import { MAX_SECRET_DATA_BYTES, encodeBody } from '../src/store/kubernetes/release-record.ts';
import { Store } from '../src/store/store.ts';
import { keyOf, type StoredObject } from '../src/store/types.ts';
import { localKubeconfig } from '../test/kit/cluster.ts';

const MAX_HISTORY = Number(process.argv[2] ?? 2000);
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG || localKubeconfig;
const namespace = `ferry-bench-store-${process.pid}`;

const app = await loadApp(new URL('../examples/preply', import.meta.url).pathname);
const prod = listWorkloads(app, 'prod', '1.0.0');
const digest = (s: string) => createHash('sha256').update(s).digest('hex');
/**
 * examples/preply's prod render `copies` times under other service names. `distinct`: each copy
 * also has its own manifest digest and image digest, as separate services have (64 hex
 * characters gzip cannot shorten); without it, copies repeat each other and compress far better.
 */
const objectsOf = (copies: number, distinct: boolean): StoredObject[] =>
  Array.from({ length: copies }, (_, i) =>
    prod.flatMap((w) => {
      const service = copies === 1 ? w.service : `${w.service}-${i}`;
      const own = distinct
        ? {
            manifestDigest: digest(`m${service}`),
            image: `${w.imageRepository}@sha256:${digest(`i${service}`)}`,
          }
        : {};
      return renderKubernetes({ ...w, ...own, service, version: `1.${i}.0` })
        .objects as unknown as StoredObject[];
    }),
  ).flat();
const gz = (objects: StoredObject[]) =>
  encodeBody({
    objects,
    migrateDown: undefined,
    verification: { jobs: [], http: [], observeSeconds: 0 },
    service: 'x',
    environment: 'prod',
  }).length;
const fits = (copies: number, distinct: boolean) => {
  try {
    return gz(objectsOf(copies, distinct)) <= MAX_SECRET_DATA_BYTES;
  } catch {
    return false;
  }
};
/** The most copies whose release still fits one Secret (doubling, then bisecting). */
function mostThatFit(distinct: boolean): number {
  let lo = 1;
  let hi = 2;
  while (fits(hi, distinct)) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid, distinct)) lo = mid;
    else hi = mid;
  }
  return lo;
}

// --- 1. sizes ------------------------------------------------------------------------------------
const sizes = prod.map((w) => {
  const objects = renderKubernetes(w).objects as unknown as StoredObject[];
  return {
    what: `preply ${w.service} (prod)`,
    objects: objects.length,
    json: JSON.stringify(objects).length,
    gzip: gz(objects),
  };
});
const all = objectsOf(1, false);
sizes.push({
  what: 'preply, every service (prod)',
  objects: all.length,
  json: JSON.stringify(all).length,
  gzip: gz(all),
});
for (const distinct of [true, false]) {
  const copies = mostThatFit(distinct);
  const largest = objectsOf(copies, distinct);
  sizes.push({
    what: `preply × ${copies}, renamed${distinct ? ', own digests' : ''} (the most that fit)`,
    objects: largest.length,
    json: JSON.stringify(largest).length,
    gzip: gz(largest),
  });
}

// --- the cluster ---------------------------------------------------------------------------------
const placement = (): KubernetesPlacement => {
  const cluster = new KubeCluster({ kubeconfig });
  return { locate: () => ({ cluster, namespace, createNamespace: true }), environments: () => ['prod'] };
};
const one = new Store(new KubernetesDriver(placement()));
const two = new Store(new KubernetesDriver(placement()));

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]!, n: s.length };
};

// --- 2. leases -----------------------------------------------------------------------------------
const ROUNDS = 40;
const acquire: number[] = [];
const renew: number[] = [];
const free: number[] = [];
const raced: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const req = {
    key: 'bench/prod',
    holder: 'one',
    token: `t${i}`,
    owner: undefined,
    ttlMs: 30_000,
    now: Date.now(),
  };
  acquire.push((await timed(() => one.acquireLease(req)))[0]);
  renew.push((await timed(() => one.renewLease(req.key, req.token, 30_000, Date.now())))[0]);
  free.push((await timed(() => one.releaseLease(req.key, req.token)))[0]);
  const [ms, got] = await timed(() =>
    Promise.all([
      one.acquireLease({ ...req, key: 'race/prod', token: `a${i}`, now: i * 31_000 }),
      two.acquireLease({ ...req, key: 'race/prod', holder: 'two', token: `b${i}`, now: i * 31_000 }),
    ]),
  );
  if (got.filter((g) => g.acquired).length !== 1) throw new Error(`round ${i}: not exactly one holder`);
  raced.push(ms);
}
const leases = {
  acquire: stats(acquire.slice(1)),
  renew: stats(renew),
  release: stats(free),
  race: stats(raced.slice(1)),
  firstAcquire: acquire[0]!,
};

// --- 3. history ----------------------------------------------------------------------------------
const payments = renderKubernetes(prod.find((w) => w.service === 'payments') ?? prod[0]!)
  .objects as unknown as StoredObject[];
const cluster = new KubeCluster({ kubeconfig });
const record = async (service: string, n: number, steps: number) => {
  const r = await one.startRelease(
    release({ service, environment: 'prod', version: `1.${n}.0`, objects: payments }),
  );
  for (let i = 0; i < steps; i++) {
    const s = await one.startStep(keyOf(r), 'apply', Date.now());
    await one.endStep(keyOf(r), s, 'succeeded', 'ok', Date.now());
  }
  await one.finishRelease(keyOf(r), n % 10 === 0 ? 'succeeded' : 'failed', '', Date.now());
};
// a deploy as the engine records it: the release, 10 steps started and ended, the outcome
const recorded: number[] = [];
for (let n = 0; n < 5; n++) recorded.push((await timed(() => record(`other-${n}`, n, 10)))[0]);
const deployRecord = stats(recorded);
// nine other services with a short history each, so environment-wide queries span ten pairs
for (let s = 0; s < 9; s++) for (let n = 0; n < 5; n++) await record(`other-${s}`, n + 10, 0);
const checkpoints = [20, 100, 500, 1000, 2000, 5000].filter((n) => n <= MAX_HISTORY);
const history: Record<string, number>[] = [];
let made = 0;
let insertMs = 0;
const median5 = async (fn: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) ms.push((await timed(fn))[0]);
  return stats(ms).median;
};
for (const target of checkpoints) {
  // one at a time, as deploys of one service run under its lock
  const t = performance.now();
  for (; made < target; made++) await record('payments', made, 0);
  insertMs += performance.now() - t;
  history.push({
    releases: target,
    'latest (pair)': await median5(() => one.latest('payments', 'prod')),
    'page of 20 (pair)': await median5(() =>
      one.releases({ service: 'payments', environment: 'prod', limit: 20 }),
    ),
    'last successful (pair)': await median5(() => one.lastSuccessful('payments', 'prod')),
    'latest per service (10)': await median5(() => one.latestPerService()),
    'page of 20 (environment)': await median5(() => one.releases({ environment: 'prod', limit: 20 })),
    'list every record (baseline)': await median5(() =>
      cluster.list('v1', 'Secret', namespace, recordSelector('release', {})),
    ),
  });
}

await cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace, namespace: undefined });

// --- report --------------------------------------------------------------------------------------
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  'bench/store-kubernetes: release Secret sizes (gzip of the body; a Secret holds 1024 KiB of data)\n',
);
console.log('| release | objects | JSON | gzip | bytes/object |');
console.log('|---|--:|--:|--:|--:|');
for (const s of sizes)
  console.log(
    `| ${s.what} | ${s.objects} | ${kib(s.json)} | ${kib(s.gzip)} | ${Math.round(s.gzip / s.objects)} |`,
  );
console.log(
  `\nleases (ms, ${ROUNDS} rounds; race = two clients taking one free Lease at once, until both know)\n`,
);
console.log('| call | median | p95 |');
console.log('|---|--:|--:|');
for (const [k, v] of Object.entries(leases))
  if (typeof v !== 'number') console.log(`| ${k} | ${v.median.toFixed(1)} | ${v.p95.toFixed(1)} |`);
console.log(`| first acquire (creates the Lease) | ${leases.firstAcquire.toFixed(1)} | |`);
console.log(
  `\nrecording: ${deployRecord.median.toFixed(0)} ms per deploy (release, 10 steps, outcome; median of 5), ${(insertMs / made).toFixed(1)} ms per release with no steps`,
);
console.log(`\none service's history beside nine others (ms, median of 5)\n`);
const cols = Object.keys(history[0] ?? {});
console.log(`| ${cols.join(' | ')} |`);
console.log(`|${cols.map(() => '--:').join('|')}|`);
for (const h of history)
  console.log(`| ${cols.map((c) => (c === 'releases' ? String(h[c]) : h[c]!.toFixed(1))).join(' | ')} |`);
const load = loadavg();
console.log(`\nload average ${load.map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/store-kubernetes.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, sizes, leases, history, deployRecord, insertMsPerRelease: insertMs / made, loadavg: load }, null, 2)}\n`,
);
