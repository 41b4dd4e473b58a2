// The chaos bench's `replica` mode: two `ferry server` replicas on one PostgreSQL database (as a
// team runs them); for each of N deploy requests, the replica running it is SIGKILLed at a random
// moment 0.2–8 s after its release started, and a fresh replica is started in its place (as
// Kubernetes would). The other replica must take the request over once its claim expires: the
// killed release marked, the request run again and succeeded (none lost), nothing left running,
// and the live image the last successful release's or the request's own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../src/store/open.ts';
import type { QueuedRequest } from '../src/store/server-types.ts';
import {
  afterRound,
  chaosApp,
  deleteNamespace,
  ferryBin,
  kubeconfig,
  mismatch,
  randomKillMs,
  root,
  sleep,
  type Outcome,
} from './chaos-kit.ts';

interface Replica {
  pid: number;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const FINAL = ['succeeded', 'failed', 'rejected', 'cancelled'];

function startReplica(dir: string, state: string): Promise<Replica> {
  const child = spawn(
    ferryBin,
    ['server', '--listen', '127.0.0.1:0', '-C', dir, '--kubeconfig', kubeconfig],
    {
      env: {
        ...process.env,
        FERRY_STATE: state,
        FERRY_POD_LABELS: 'ferry.dev/fault=slow-ready',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m && err.length < 100_000) {
        resolve({ pid: child.pid!, url: m[1]!, child, exited });
        err = 'x'.repeat(100_000); // resolved: stop matching, keep draining the pipe
      }
    });
    void exited.then((code) => reject(new Error(`ferry server exited ${code}: ${err.slice(0, 2000)}`)));
  });
}

export async function replicaMode(perMode: number, results: Outcome[]): Promise<void> {
  const admin = readFileSync(join(root, '.ferry/postgres/url'), 'utf8').trim();
  const database = `ferry_chaos_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${database}`;
  const state = u.toString();
  const namespace = `ferry-chaos-replica-${randomBytes(2).toString('hex')}`;
  const dir = chaosApp(namespace);
  const made = spawnSync(ferryBin, ['token', 'create', '--name', 'chaos', '--role', 'admin', '-o', 'json'], {
    env: { ...process.env, FERRY_STATE: state },
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`ferry token create: ${made.stderr}`);
  const token = (JSON.parse(made.stdout) as { token: string }).token;
  const replicas = await Promise.all([startReplica(dir, state), startReplica(dir, state)]);
  const store = await openStore(state);
  const request = async (id: number): Promise<QueuedRequest> => {
    const r = await store.server().getRequest(id);
    if (!r) throw new Error(`request ${id} is gone from the store`);
    return r;
  };
  try {
    for (let n = 0; n < perMode; n++) {
      const version = `replica-${n}`;
      const via = replicas[n % replicas.length]!;
      const res = await fetch(`${via.url}/api/v1/deploys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'web', environment: 'chaos', version }),
      });
      if (res.status !== 202) throw new Error(`POST /api/v1/deploys: ${res.status} ${await res.text()}`);
      const id = ((await res.json()) as { id: number }).id;
      let r = await request(id);
      for (let i = 0; i < 1200 && !r.release && !FINAL.includes(r.state); i++) {
        await sleep(100);
        r = await request(id);
      }
      const afterMs = randomKillMs();
      await sleep(afterMs);
      r = await request(id);
      const firstAttempt = r.attempt;
      const killedKey = r.release;
      const ownerPid = Number(r.leaseOwner?.split('/')[1]);
      const victim = replicas.find((x) => x.pid === ownerPid) ?? replicas[n % replicas.length]!;
      const tKill = Date.now();
      victim.child.kill('SIGKILL');
      await victim.exited;
      replicas.splice(replicas.indexOf(victim), 1);
      const replacement = startReplica(dir, state);
      let takeoverMs: number | undefined;
      const until = Date.now() + 300_000;
      for (;;) {
        r = await request(id);
        if (takeoverMs === undefined && r.attempt > firstAttempt) takeoverMs = Date.now() - tKill;
        if (FINAL.includes(r.state) || Date.now() > until) break;
        await sleep(250);
      }
      replicas.push(await replacement);
      const killed = killedKey ? await store.release(killedKey) : undefined;
      const seen = await afterRound(store);
      const o: Outcome = {
        mode: 'replica',
        killedAfterMs: afterMs,
        killedOutcome: killed?.outcome ?? 'not started',
        nextOutcome: r.state,
        nextWaitedMs: seen.waitedMs ?? 0,
        takeoverMs,
        lease: seen.lease,
        running: seen.running,
        mismatch: mismatch(namespace, seen.lastGood, [version]),
        lost: r.state !== 'succeeded',
      };
      results.push(o);
      process.stderr.write(
        `replica #${n + 1}: killed after ${afterMs} ms (${o.killedOutcome}); request ${r.state} (attempt ${r.attempt}${takeoverMs !== undefined ? `, taken over after ${takeoverMs} ms` : ''}), lease ${o.lease}, lock step ${o.nextWaitedMs} ms; running ${o.running}${o.mismatch ? '; LIVE MISMATCH' : ''}\n`,
      );
    }
  } finally {
    for (const x of replicas) x.child.kill('SIGTERM');
    await Promise.all(replicas.map((x) => x.exited));
    await store.close();
    deleteNamespace(namespace);
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await d.end();
  }
}
