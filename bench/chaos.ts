// Chaos: deploys killed at random points, on the local cluster. For each way a process can end
// badly — SIGKILL, SIGTERM, a closed output pipe (EPIPE) — run N deploys of a 3-replica service
// whose pods become Ready slowly, end the process at a random moment between 0.2 s and 8 s, then
// check what a team would find afterwards:
//   running   releases still `running` once the next deploy has run (it takes over a dead lease)
//   waited    next deploys that had to wait for a lease (the takeover rule: a gone holder on this
//             host is taken over at once, SIGTERM/EPIPE release theirs on the way out)
//   mismatch  times the live Deployment's image is neither the last successful release's nor
//             the killed release's own version
// A fourth mode, `replica`, SIGKILLs a `ferry server` replica (two run on one PostgreSQL) while
// it runs a deploy request; the other replica takes the request over (bench/chaos-replica.ts):
// the same three checks, plus `lost` — a request that did not end succeeded.
// The modes run side by side (each its own namespace and store). Prints a table and writes
// bench/results/chaos.json. The built CLI (bin/ferry) is used; the replica mode needs the test
// PostgreSQL (scripts/postgres/ensure.sh).
// Run: npm run build && npx tsx bench/chaos.ts [deploys per mode] [modes, comma-separated]
//   (default: 20, SIGKILL,SIGTERM,EPIPE,replica)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.ts';
import { keyOf } from '../src/store/types.ts';
import {
  afterRound,
  chaosApp,
  deleteNamespace,
  ferryBin,
  kubeconfig,
  mismatch,
  randomKillMs,
  root,
  runChild,
  type Mode,
  type Outcome,
} from './chaos-kit.ts';
import { replicaMode } from './chaos-replica.ts';

const perMode = Number(process.argv[2] ?? 20);
const ALL: Mode[] = ['SIGKILL', 'SIGTERM', 'EPIPE', 'replica'];
const modes = (process.argv[3]?.split(',') ?? ALL) as Mode[];
for (const m of modes) if (!ALL.includes(m)) throw new Error(`unknown mode ${m} (one of ${ALL.join(', ')})`);
if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
// bin/ferry runs the bundle (dist/ferry.cjs), from the start-up snapshot when there is one
if (!existsSync(join(root, 'dist/ferry.cjs'))) throw new Error('build first: npm run build');

/** a deploy process must end within this; one that does not is a defect (counted as hung) */
const LIMIT_MS = 240_000;

const env = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  KUBECONFIG: kubeconfig,
  FERRY_STATE: join(dir, 'state.db'),
  FERRY_LEASE_SECONDS: '60',
  NO_COLOR: '1',
});

function deployArgs(dir: string, version: string): string[] {
  return ['-C', dir, 'deploy', `web:${version}`, '--env', 'chaos', '--wait-lock', '120s'].concat([
    '--pod-label',
    'ferry.dev/fault=slow-ready',
  ]);
}

/** One deploy ended badly at `afterMs`; resolves when the process is gone. */
async function killedDeploy(dir: string, version: string, mode: Mode, afterMs: number): Promise<boolean> {
  const args = deployArgs(dir, version);
  if (mode === 'EPIPE') {
    // a real pipeline whose reader goes away: every later write of ferry fails with EPIPE
    const line = [ferryBin, ...args].map((a) => `'${a}'`).join(' ');
    const script = `${line} 2>&1 | (sleep ${(afterMs / 1000).toFixed(2)}; head -c 1 >/dev/null)`;
    return (await runChild('sh', ['-c', script], { env: env(dir) }, LIMIT_MS)).hung;
  }
  // bin/ferry execs node (from the snapshot): the signal reaches ferry itself
  let t: NodeJS.Timeout | undefined;
  const r = await runChild(ferryBin, args, { env: env(dir) }, LIMIT_MS, (kill) => {
    t = setTimeout(() => kill(mode as NodeJS.Signals), afterMs);
  });
  clearTimeout(t);
  return r.hung;
}

async function round(mode: Mode, dir: string, namespace: string, n: number): Promise<Outcome> {
  const version = `${mode.toLowerCase()}-${n}`;
  const afterMs = randomKillMs();
  const hung = await killedDeploy(dir, version, mode, afterMs);
  const store = await openStore(join(dir, 'state.db'));
  const killed = await store.latest('web', 'chaos');
  const killedKey = killed?.version === version ? keyOf(killed) : undefined;
  await store.close();
  // the next deploy: how long until it holds the lease
  const t0 = Date.now();
  const next = await runChild(ferryBin, deployArgs(dir, `${version}-next`), { env: env(dir) }, LIMIT_MS);
  const wall = Date.now() - t0;
  const after = await openStore(join(dir, 'state.db'));
  const seen = await afterRound(after);
  // what the killed release ended as, once the next deploy ran (a SIGKILLed one is taken over)
  const killedOutcome = hung ? 'hung' : killedKey ? (await after.release(killedKey)).outcome : 'not started';
  await after.close();
  return {
    mode,
    killedAfterMs: afterMs,
    killedOutcome,
    nextOutcome: next.hung ? 'hung' : next.code === 0 ? 'succeeded' : `exit ${next.code}`,
    nextWaitedMs: seen.waitedMs ?? wall,
    lease: seen.lease,
    running: seen.running,
    mismatch: mismatch(namespace, seen.lastGood, [`${version}-next`]),
  };
}

async function processMode(mode: Mode, results: Outcome[]): Promise<void> {
  const namespace = `ferry-chaos-${mode.toLowerCase()}-${randomBytes(2).toString('hex')}`;
  const dir = chaosApp(namespace);
  for (let n = 0; n < perMode; n++) {
    const r = await round(mode, dir, namespace, n);
    results.push(r);
    process.stderr.write(
      `${mode} #${n + 1}: killed after ${r.killedAfterMs} ms (${r.killedOutcome}); next ${r.nextOutcome}, lease ${r.lease}, lock step ${r.nextWaitedMs} ms; running ${r.running}${r.mismatch ? '; LIVE MISMATCH' : ''}\n`,
    );
  }
  deleteNamespace(namespace);
}

const results: Outcome[] = [];
const load0 = loadavg()[0]!;
const loads: number[] = [];
const sampler = setInterval(() => loads.push(loadavg()[0]!), 5000);
const t0 = Date.now();
await Promise.all(
  modes.map((m) => (m === 'replica' ? replicaMode(perMode, results) : processMode(m, results))),
);
clearInterval(sampler);
const load = {
  start: load0,
  mean: loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length),
  end: loadavg()[0]!,
};

/** "3 a, 2 b" */
const count = (xs: string[]): string =>
  Object.entries(xs.reduce<Record<string, number>>((a, x) => ({ ...a, [x]: (a[x] ?? 0) + 1 }), {}))
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

const rows = modes.map((mode) => {
  const rs = results.filter((r) => r.mode === mode);
  const waits = rs.map((r) => r.nextWaitedMs).sort((a, b) => a - b);
  const takeovers = rs.flatMap((r) => (r.takeoverMs === undefined ? [] : [r.takeoverMs]));
  return {
    mode,
    deploys: rs.length,
    outcomes: count(rs.map((r) => r.killedOutcome)),
    leases: count(rs.map((r) => r.lease)),
    running: rs.reduce((a, r) => a + r.running, 0),
    waitedOver1s: rs.filter((r) => r.nextWaitedMs > 1000).length,
    maxWaitMs: waits.at(-1) ?? 0,
    maxTakeoverMs: takeovers.length ? Math.max(...takeovers) : undefined,
    mismatch: rs.filter((r) => r.mismatch).length,
    nextFailed: rs.filter((r) => r.nextOutcome !== 'succeeded').length,
    lost: mode === 'replica' ? rs.filter((r) => r.lost).length : undefined,
  };
});
const out = { at: new Date().toISOString(), wallMs: Date.now() - t0, load, perMode, rows, results };
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/chaos.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `load average ${load.start.toFixed(1)} → ${load.end.toFixed(1)} (mean ${load.mean.toFixed(1)}, 2 cores); ${perMode} deploys per mode, modes side by side, ${Math.round(out.wallMs / 1000)} s`,
);
console.log(
  '| mode | deploys | the killed release ended | the next deploy got the lease | left running | lock step > 1 s | max lock step | live ≠ last good or new | next failed | lost |',
);
console.log('| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.mode} | ${r.deploys} | ${r.outcomes} | ${r.leases} | ${r.running} | ${r.waitedOver1s} | ${r.maxWaitMs} ms${r.maxTakeoverMs !== undefined ? ` (taken over ≤ ${(r.maxTakeoverMs / 1000).toFixed(1)} s after the kill)` : ''} | ${r.mismatch} | ${r.nextFailed} | ${r.lost ?? '–'} |`,
  );
