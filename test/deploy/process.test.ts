// Deploys as separate processes (the CLI) sharing one SQLite store: lock contention between two
// concurrent deploys, and recovery after a deploy is killed with SIGKILL mid-rollout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/open.ts';
import { keyOf } from '../../src/store/types.ts';
import { faultStagesAvailable, testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp } from './kit.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = `${root}src/cli/main.ts`;

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function ferry(dir: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, '-C', dir, ...args, '--kubeconfig', testKubeconfigPath()],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((r) => child.on('close', (code, signal) => r({ code, signal, stdout, stderr })));
  return { child, done };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const opts = { timeout: 300_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' };

test(
  'a second deploy is refused while the first holds the lock; --wait-lock queues behind it',
  opts,
  async () => {
    await withNamespace('lock', async ({ namespace }) => {
      const app = tempApp(namespace);
      // 8 replicas rolled one at a time (maxSurge 1, maxUnavailable 0), each Ready after 5 s:
      // alice holds the lock ~40 s, long enough for bob's process to start and be refused, even on a loaded machine
      app.write('web', serviceYaml('web', { instances: 8 }));
      const env = { FERRY_STATE: app.statePath };
      const store = await openStore(app.statePath);
      try {
        const first = await ferry(app.dir, ['deploy', 'web:0.9.0', '--env', 'test'], {
          ...env,
          FERRY_ACTOR: 'dave@ci',
        }).done;
        assert.equal(first.code, 0, first.stderr);
        const a = ferry(
          app.dir,
          ['deploy', 'web:1.0.0', '--env', 'test', '--pod-label', 'web:ferry.dev/fault=slow-ready'],
          {
            ...env,
            FERRY_ACTOR: 'alice@ci',
          },
        );
        await until('alice to hold the lease', async () => {
          const l = await store.lease('web/test');
          return l?.holder === 'alice@ci' ? l.releaseId : undefined;
        });
        const b = await ferry(app.dir, ['deploy', 'web:1.0.1', '--env', 'test', '-o', 'json'], {
          ...env,
          FERRY_ACTOR: 'bob@ci',
        }).done;
        assert.equal(b.code, 3, b.stderr);
        const err = JSON.parse(b.stdout) as { error: { code: string; message: string } };
        assert.equal(err.error.code, 'E_LOCKED');
        assert.match(err.error.message, /web\/test is being deployed by alice@ci since \d{4}-/);
        const c = ferry(app.dir, ['deploy', 'web:1.0.2', '--env', 'test', '--wait-lock', '180s'], {
          ...env,
          FERRY_ACTOR: 'carol@ci',
        });
        const [ra, rc] = await Promise.all([a.done, c.done]);
        assert.equal(ra.code, 0, ra.stderr);
        assert.equal(rc.code, 0, rc.stderr);
        const h = await store.history('web', 'test');
        assert.deepEqual(
          h.map((r) => `${r.actor}:${r.version}:${r.outcome}`),
          ['carol@ci:1.0.2:succeeded', 'alice@ci:1.0.0:succeeded', 'dave@ci:0.9.0:succeeded'],
        );
        const carolApply = h[0]?.steps.find((x) => x.name === 'apply');
        // the plan step ends before the lock step starts: a wait for the lock is the lock's time, never the plan's
        const step = (name: string) => h[0]?.steps.find((x) => x.name === name);
        assert.ok(
          (step('plan')?.endedAt ?? Infinity) <= (step('lock')?.startedAt ?? -Infinity),
          `plan ends (${step('plan')?.endedAt}) before the lock wait starts (${step('lock')?.startedAt})`,
        );
        assert.ok(
          (carolApply?.startedAt ?? 0) >= (h[1]?.endedAt ?? Infinity),
          'carol applied only after alice ended',
        );
      } finally {
        await store.close();
        app.cleanup();
      }
    });
  },
);

test(
  'after SIGKILL mid-rollout the next deploy on this host takes over at once and marks the release interrupted',
  opts,
  async () => {
    await withNamespace('sigkill', async ({ namespace, apps }) => {
      const app = tempApp(namespace);
      app.write('web', serviceYaml('web', { instances: 2 }));
      // a lease far longer than the test: only the holder-is-gone rule can let bob in quickly
      const env = { FERRY_STATE: app.statePath, FERRY_LEASE_SECONDS: '600' };
      const store = await openStore(app.statePath);
      try {
        const a = ferry(
          app.dir,
          ['deploy', 'web:1.0.0', '--env', 'test', '--pod-label', 'web:ferry.dev/fault=slow-ready'],
          {
            ...env,
            FERRY_ACTOR: 'alice@ci',
          },
        );
        const killedId = await until('alice to be tracking', async () => {
          const r = await store.latest('web', 'test');
          if (!r) return undefined;
          const steps = await store.steps(keyOf(r));
          return steps.some((s) => s.name === 'track' && s.outcome === 'running') ? keyOf(r) : undefined;
        });
        a.child.kill('SIGKILL');
        const ra = await a.done;
        assert.equal(ra.signal, 'SIGKILL');
        assert.equal(
          (await store.findRelease(killedId))?.outcome,
          'running',
          'left running by the dead process',
        );

        const t0 = Date.now();
        const b = await ferry(
          app.dir,
          ['deploy', 'web:2.0.0', '--env', 'test', '--wait-lock', '30s', '-o', 'json'],
          {
            ...env,
            FERRY_ACTOR: 'bob@ci',
          },
        ).done;
        assert.equal(b.code, 0, b.stderr);
        assert.ok(Date.now() - t0 < 60_000, 'took over at once (not after the 600 s lease), plus a rollout');
        const out = JSON.parse(b.stdout) as {
          releases: { id: number; steps: { name: string; message: string }[] }[];
        };
        const lockStep = out.releases[0]?.steps.find((s) => s.name === 'lock');
        assert.match(
          lockStep?.message ?? '',
          // the killed process ran on this host and is gone: taken over at once, not after the expiry
          new RegExp(
            `took over the lease of alice@ci \\(its process is gone; release ${killedId.id} marked interrupted\\)`,
          ),
        );

        const killed = await store.release(killedId);
        assert.equal(killed.outcome, 'interrupted');
        assert.equal(killed.steps.find((s) => s.name === 'track')?.outcome, 'interrupted');
        assert.equal(await store.lease('web/test'), undefined, 'bob released the lease');
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
        assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:2.0.0');
        assert.equal(d.status?.readyReplicas, 2);
      } finally {
        await store.close();
        app.cleanup();
      }
    });
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(
    `${signal} mid-rollout cancels the release, re-applies the previous one and frees the lock`,
    opts,
    async () => {
      await withNamespace(signal.toLowerCase(), async ({ namespace, apps }) => {
        const app = tempApp(namespace);
        app.write('web', serviceYaml('web', { instances: 2 }));
        const env = { FERRY_STATE: app.statePath };
        const store = await openStore(app.statePath);
        try {
          const first = await ferry(app.dir, ['deploy', 'web:1.0.0', '--env', 'test'], env).done;
          assert.equal(first.code, 0, first.stderr);
          const a = ferry(
            app.dir,
            ['deploy', 'web:2.0.0', '--env', 'test', '--pod-label', 'web:ferry.dev/fault=slow-ready'],
            env,
          );
          const id = await until('the rollout to be tracked', async () => {
            const r = await store.latest('web', 'test');
            if (!r || r.version !== '2.0.0') return undefined;
            const steps = await store.steps(keyOf(r));
            return steps.some((s) => s.name === 'track' && s.outcome === 'running') ? keyOf(r) : undefined;
          });
          a.child.kill(signal);
          const ra = await a.done;
          assert.equal(ra.code, 130, ra.stderr);
          assert.match(ra.stderr, /interrupted: cancelling/);
          const r = await store.release(id);
          assert.equal(r.outcome, 'cancelled');
          assert.deepEqual(
            r.steps.filter((s) => ['track', 'revert'].includes(s.name)).map((s) => `${s.name}:${s.outcome}`),
            ['track:cancelled', 'revert:succeeded'],
          );
          assert.equal(await store.lease('web/test'), undefined, 'lock released');
          const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
          assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
        } finally {
          await store.close();
          app.cleanup();
        }
      });
    },
  );
}

test(
  'a closed output pipe (`ferry deploy … 2>&1 | head -3`) never stops a deploy: it ends recorded, the lock freed',
  opts,
  async () => {
    await withNamespace('epipe', async ({ namespace, apps }) => {
      const app = tempApp(namespace);
      app.write('web', serviceYaml('web', { instances: 2 }));
      const store = await openStore(app.statePath);
      try {
        // a real shell pipeline: head exits after three lines, every later write of ferry is EPIPE
        const cmd = [
          process.execPath,
          '--import',
          'tsx',
          main,
          '-C',
          app.dir,
          'deploy',
          'web:1.0.0',
          '--env',
          'test',
        ]
          .concat(['--pod-label', 'web:ferry.dev/fault=slow-ready', '--kubeconfig', testKubeconfigPath()])
          .map((a) => `'${a}'`)
          .join(' ');
        const sh = spawn('sh', ['-c', `${cmd} 2>&1 | head -3`], {
          cwd: root,
          env: { ...process.env, NO_COLOR: '1', FERRY_STATE: app.statePath },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        sh.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        const code = await new Promise<number | null>((r) => sh.on('close', (c) => r(c)));
        assert.equal(code, 0);
        assert.equal(out.trim().split('\n').length, 3, out);
        // head is gone; ferry carried on to the end of the release
        const r = await until(
          'the release to end',
          async () => {
            const last = await store.latest('web', 'test');
            return last && last.outcome !== 'running' ? last : undefined;
          },
          60_000,
        );
        assert.equal(r.outcome, 'succeeded', r.message);
        await until('the lock to be freed', async () => ((await store.lease('web/test')) ? undefined : true));
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
        assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
        assert.equal(d.status?.readyReplicas, 2);
      } finally {
        await store.close();
        app.cleanup();
      }
    });
  },
);
