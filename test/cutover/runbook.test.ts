// The runbook on the real API server with a real SQLite store: it stops for a confirmation, a
// check that fails after the 25 % weight puts 5 % back (on the cluster and in the record), `next`
// carries on to 100 %; a second cut-over is aborted from maintenance and all traffic is back on the
// old platform; a CLI process killed with SIGKILL mid-step is shown stopped by `status` and `next`
// runs that step again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { KObject } from '../../src/cluster/types.ts';
import { createEngine } from '../../src/engine/config.ts';
import { runContext } from '../../src/engine/context.ts';
import { Cutover } from '../../src/engine/cutover/runbook.ts';
import { certFor } from '../../src/engine/cutover/testing.ts';
import { runFerry } from '../../src/cli/testing.ts';
import { FerryError } from '../../src/errors.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { keyOf } from '../../src/store/types.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { cutoverProject, installCutoverCrds, newDeployment } from './kit.ts';

before(installCutoverCrds, { timeout: 180_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));

function runbook(checkUrl: string, drain = 'true'): string {
  return `    services:
      web:
        old: { host: old-lb.example.net, port: 80 }
      api:
        old: { address: 192.0.2.10, port: 80 }
    steps:
      - maintenance: "on"
      - drain: { command: ${JSON.stringify(drain)} }
      - run: { name: move-database, confirm: "the database answers on the new platform" }
      - services: "on"
      - maintenance: "off"
      - weights: [5, 25, 50, 100]
        observe: 0s
    checks:
      - { name: errors, http: "${checkUrl}/health" }
    forwardedFor: { url: "${checkUrl}/echo" }
`;
}

async function prepare(cluster: KubeCluster, namespace: string): Promise<void> {
  for (const d of ['web', 'api']) await cluster.apply(newDeployment(namespace, d));
  const pem = certFor(['*.example.com']);
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'wildcard-prod-tls', namespace },
    type: 'Opaque',
    data: { 'tls.crt': Buffer.from(pem).toString('base64') },
  } as KObject);
}

/** The weights the cluster's TraefikService of web holds now, as "name=weight". */
async function liveWeights(cluster: KubeCluster, namespace: string): Promise<string[]> {
  const ts = await cluster.get({
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TraefikService',
    name: 'web-cutover',
    namespace,
  });
  const services = (ts?.spec as { weighted: { services: { name: string; weight: number }[] } }).weighted
    .services;
  return services.map((s) => `${s.name}=${s.weight}`);
}

async function liveRoute(cluster: KubeCluster, namespace: string): Promise<string> {
  const r = await cluster.get({
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    name: 'web-cutover',
    namespace,
  });
  const svc = (r?.spec as { routes: { services: { name: string; kind: string }[] }[] }).routes[0]!
    .services[0]!;
  return `${svc.kind}/${svc.name}`;
}

/** A check endpoint that reads the cluster: it fails while web takes 25 % (when told to). */
function checkServer(cluster: KubeCluster, namespace: string, failAt25: { on: boolean }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/echo') {
      res.end(JSON.stringify(req.headers));
      return;
    }
    void liveWeights(cluster, namespace).then(
      (w) => {
        res.statusCode = failAt25.on && w.includes('web=25') ? 500 : 200;
        res.end(w.join(','));
      },
      () => {
        res.statusCode = 503;
        res.end();
      },
    );
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

async function engineFor(
  statePath: string,
  cluster: KubeCluster,
): Promise<{ store: Store; make: (dir: string) => Promise<Cutover> }> {
  const store = await openStore(statePath);
  const engine = createEngine(
    { root: join(statePath, '..'), env: process.env, clusterCommand: true },
    { clusterFor: () => cluster, store },
  );
  return { store, make: async (dir) => new Cutover(engine, await loadApp(dir), 'prod') };
}

interface Scene {
  cluster: KubeCluster;
  namespace: string;
  url: string;
  project: ReturnType<typeof cutoverProject>;
}

/**
 * A namespace with web and api deployed and the wildcard certificate, a check server, and a
 * project whose prod cut-over drains with `drain`; all of it removed after `fn`.
 */
async function scene(
  name: string,
  opts: { failAt25?: { on: boolean }; drain?: string },
  fn: (s: Scene) => Promise<void>,
): Promise<void> {
  await withNamespace(name, async ({ namespace }) => {
    const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
    await prepare(cluster, namespace);
    const server = await checkServer(cluster, namespace, opts.failAt25 ?? { on: false });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const project = cutoverProject(namespace, 'traefik', runbook(url, opts.drain ?? 'true'));
    try {
      await fn({ cluster, namespace, url, project });
    } finally {
      server.close();
      project.cleanup();
    }
  });
}

const run = (actor = 'alice@ops') => runContext({ actor });
const codeOf = (e: unknown) => (e instanceof FerryError ? e.code : String(e));

test(
  'confirm, a failing check after 25 % rolls back to 5 %, next reaches 100 %; a second run is aborted from maintenance',
  { timeout: 240_000 },
  async () => {
    const failAt25 = { on: true };
    await scene('cutover-run', { failAt25 }, async ({ cluster, namespace, project }) => {
      const { store, make } = await engineFor(project.statePath, cluster);
      try {
        const c = await make(project.dir);
        await assert.rejects(c.start({ leaseMs: 5000 }, run()), (e) => codeOf(e) === 'E_CUTOVER_CONFIRM');
        let v = await c.status();
        assert.equal(v.phase, 'stopped');
        assert.deepEqual(v.stopped, { kind: 'confirm', text: 'the database answers on the new platform' });
        assert.deepEqual(v.traffic, { maintenance: true, weight: 0 });
        assert.equal(await liveRoute(cluster, namespace), 'Service/cutover-maintenance');
        assert.deepEqual(v.steps.map((s) => s.status).slice(0, 3), ['done', 'done', 'pending']);

        // bob confirms; the check fails at 25 %: the cluster and the record say 5 %
        await assert.rejects(
          c.next({ confirmed: true, leaseMs: 5000 }, run('bob@ops')),
          (e) => codeOf(e) === 'E_CUTOVER_STEP',
        );
        assert.deepEqual(await liveWeights(cluster, namespace), ['web=5', 'web-old=95']);
        assert.equal(await liveRoute(cluster, namespace), 'TraefikService/web-cutover');
        v = await c.status();
        const w25 = v.steps.find((s) => s.description.startsWith('weight 25'))!;
        assert.equal(w25.status, 'failed');
        assert.match(
          w25.attempts[0]!.message,
          /check errors: GET .*\/health answered 500, expected 200; the weight went back to 5 %/,
        );
        assert.deepEqual(v.traffic, { maintenance: false, weight: 5 });
        assert.equal(v.stopped?.kind, 'failed');
        assert.deepEqual(
          v.events.map((e) => `${e.name} ${e.outcome}`),
          ['revert succeeded'],
        );
        assert.match(v.steps[2]!.attempts[0]!.message, /confirmed by bob@ops/);

        // fixed: next goes on to 100 %
        failAt25.on = false;
        v = await c.next({ leaseMs: 5000 }, run());
        assert.equal(v.phase, 'succeeded');
        assert.deepEqual(await liveWeights(cluster, namespace), ['web=100']);
        assert.deepEqual(
          v.steps.map((s) => s.status),
          Array(9).fill('done'),
        );
        const history = await store.releases({ service: 'cutover', environment: 'prod' });
        assert.equal(history.items[0]!.kind, 'cutover');
        assert.equal(history.items[0]!.actor, 'alice@ops');
        assert.equal(history.items[0]!.outcome, 'succeeded');
        const audit = await store.auditLog({ service: 'cutover' });
        assert.deepEqual(audit.map((a) => `${a.action} ${a.actor}`).sort(), [
          'cutover.next alice@ops',
          'cutover.next bob@ops',
          'cutover.start alice@ops',
        ]);
        await assert.rejects(c.abort({}, run()), (e) => codeOf(e) === 'E_CUTOVER_STATE');

        // a second cut-over, aborted while the maintenance page is up
        await assert.rejects(c.start({ leaseMs: 5000 }, run()), (e) => codeOf(e) === 'E_CUTOVER_CONFIRM');
        assert.equal(await liveRoute(cluster, namespace), 'Service/cutover-maintenance');
        v = await c.abort({ leaseMs: 5000 }, run('carol@ops'));
        assert.equal(v.phase, 'aborted');
        assert.deepEqual(await liveWeights(cluster, namespace), ['web-old=100']);
        assert.equal(await liveRoute(cluster, namespace), 'TraefikService/web-cutover');
        const second = await store.latest('cutover', 'prod');
        assert.equal(second?.outcome, 'cancelled');
        assert.equal(second?.message, 'aborted by carol@ops');
        await assert.rejects(c.next({}, run()), (e) => codeOf(e) === 'E_CUTOVER_STATE');
      } finally {
        await store.close();
      }
    });
  },
);

test(
  'a CLI process killed with SIGKILL mid-step: status shows where it stopped, next runs that step again',
  { timeout: 240_000 },
  async () => {
    // the drain waits until the file `drained` exists in the project folder
    const drain = 'while [ ! -f drained ]; do sleep 0.2; done';
    await scene('cutover-kill', { drain }, async ({ cluster, namespace, project }) => {
      const env = { ...process.env, NO_COLOR: '1', FERRY_STATE: project.statePath, FERRY_ACTOR: 'dave@ops' };
      const args = ['--import', 'tsx', `${root}src/cli/main.ts`, '-C', project.dir];
      const store = await openStore(project.statePath);
      try {
        const child = spawn(
          process.execPath,
          [...args, 'cutover', 'start', '--env', 'prod', '--kubeconfig', testKubeconfigPath()],
          { cwd: root, env, stdio: 'ignore' },
        );
        const exited = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_c, s) => r(s)));
        const end = Date.now() + 120_000;
        for (;;) {
          const latest = await store.latest('cutover', 'prod');
          const steps = latest ? await store.steps(keyOf(latest)) : [];
          if (steps.some((s) => s.name === 'drain' && s.outcome === 'running')) break;
          assert.ok(Date.now() < end, 'the drain step never started');
          await new Promise((r) => setTimeout(r, 200));
        }
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');

        const cli = (sub: string[]) =>
          new Promise<{ code: number | null; stdout: string }>((resolve) => {
            const p = spawn(
              process.execPath,
              [
                ...args,
                'cutover',
                ...sub,
                '--env',
                'prod',
                '--kubeconfig',
                testKubeconfigPath(),
                '-o',
                'json',
              ],
              { cwd: root, env: { ...env, FERRY_ACTOR: 'erin@ops' } },
            );
            let stdout = '';
            p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
            p.on('close', (code) => resolve({ code, stdout }));
          });
        const status = await cli(['status']);
        assert.equal(status.code, 0);
        const v = (
          JSON.parse(status.stdout) as {
            cutover: { phase: string; next: number; stopped: unknown; traffic: unknown };
          }
        ).cutover;
        assert.equal(v.phase, 'stopped');
        assert.equal(v.next, 1);
        assert.deepEqual(v.stopped, { kind: 'interrupted', step: 1 });
        assert.deepEqual(v.traffic, { maintenance: true, weight: 0 });

        writeFileSync(join(project.dir, 'drained'), '');
        const next = await cli(['next', '--yes']);
        assert.equal(next.code, 0, next.stdout);
        const done = (
          JSON.parse(next.stdout) as {
            cutover: { phase: string; steps: { name: string; attempts: { outcome: string }[] }[] };
          }
        ).cutover;
        assert.equal(done.phase, 'succeeded');
        assert.deepEqual(
          done.steps[1]!.attempts.map((a) => a.outcome),
          ['interrupted', 'succeeded'],
        );
        assert.deepEqual(await liveWeights(cluster, namespace), ['web=100']);
      } finally {
        await store.close();
      }
    });
  },
);

test(
  'a runbook that loses its lease mid-step stops at once and writes nothing more; the new holder resumes that step',
  { timeout: 240_000 },
  async () => {
    // the drain counts its seconds into a file until `drained` exists
    const drain = 'while [ ! -f drained ]; do echo tick >> ticks; sleep 0.2; done';
    await scene('cutover-lost', { drain }, async ({ cluster, namespace, project }) => {
      const { store, make } = await engineFor(project.statePath, cluster);
      const other = await openStore(project.statePath);
      try {
        const c = await make(project.dir);
        const started = c.start({ leaseMs: 900 }, run('alice@ops'));
        const end = Date.now() + 120_000;
        let held: Awaited<ReturnType<Store['lease']>>;
        for (;;) {
          const latest = await store.latest('cutover', 'prod');
          const steps = latest ? await store.steps(keyOf(latest)) : [];
          held = await store.lease('cutover/prod');
          if (held && steps.some((s) => s.name === 'drain' && s.outcome === 'running')) break;
          assert.ok(Date.now() < end, 'the drain step never started');
          await new Promise((r) => setTimeout(r, 100));
        }
        const weights = await liveWeights(cluster, namespace);
        // another runner takes the lease (as after this process stalled past its expiry)
        const took = await other.takeOverLease(
          {
            key: 'cutover/prod',
            holder: 'bob@ops',
            token: 'bob-token',
            owner: { host: 'elsewhere', pid: 1, processStart: 1 },
            ttlMs: 60_000,
            now: Date.now(),
          },
          held!.token,
        );
        assert.equal(took.acquired, true);
        await assert.rejects(started, (e) => codeOf(e) === 'E_LOCK_LOST');
        // the drain command was stopped with the run, and the record was left to the new holder
        const ticks = () => readFileSync(join(project.dir, 'ticks'), 'utf8').length;
        const before = ticks();
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(ticks(), before, 'the drain command still runs after the lease was lost');
        const latest = (await store.latest('cutover', 'prod'))!;
        assert.equal(latest.outcome, 'running');
        const drain = (await store.steps(keyOf(latest))).filter((s) => s.name === 'drain');
        assert.deepEqual(
          drain.map((s) => s.outcome),
          ['running'],
        );
        assert.deepEqual(await liveWeights(cluster, namespace), weights);

        // the new holder lets go; `next` marks the dead attempt interrupted and runs the drain again
        await other.releaseLease('cutover/prod', 'bob-token');
        writeFileSync(join(project.dir, 'drained'), '');
        const v = await (await make(project.dir)).next({ leaseMs: 5000, confirmed: true }, run('bob@ops'));
        assert.equal(v.phase, 'succeeded');
        assert.deepEqual(
          v.steps[1]!.attempts.map((a) => a.outcome),
          ['interrupted', 'succeeded'],
        );

        // its record is in `ferry history`, under the cut-over's name, with who ran which step
        const env = { FERRY_STATE: project.statePath };
        const h = await runFerry(
          ['-C', project.dir, 'history', 'cutover', '--env', 'prod', '-o', 'json'],
          env,
        );
        assert.equal(h.code, 0, h.stderr);
        const page = JSON.parse(h.stdout) as {
          releases: {
            kind: string;
            outcome: string;
            actor: string;
            steps: { name: string; outcome: string }[];
          }[];
        };
        assert.equal(page.releases.length, 1);
        assert.equal(page.releases[0]!.kind, 'cutover');
        assert.equal(page.releases[0]!.outcome, 'succeeded');
        assert.equal(page.releases[0]!.actor, 'alice@ops');
        assert.deepEqual(
          page.releases[0]!.steps.filter((x) => x.name === 'drain').map((x) => x.outcome),
          ['interrupted', 'succeeded'],
        );
        const human = await runFerry(['-C', project.dir, 'history', 'cutover', '--env', 'prod'], env);
        assert.match(human.stdout, /cutover\s+traefik\s+succeeded/);
        // another name is still refused as no such service
        const typo = await runFerry(['-C', project.dir, 'history', 'cutovr', '--env', 'prod'], env);
        assert.equal(typo.code, 2, typo.stderr);
        assert.match(typo.stderr, /cutovr/);
      } finally {
        await other.close();
        await store.close();
      }
    });
  },
);
