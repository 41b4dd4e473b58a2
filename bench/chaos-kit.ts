// What the chaos modes (bench/chaos.ts, bench/chaos-replica.ts) share: the test cluster's paths,
// the app they deploy, one child process awaited with a time bound, the live image, the outcome
// row and what the store says after a round.
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../src/store/store.ts';
import { keyOf } from '../src/store/types.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
export const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
export const ferryBin = join(root, 'bin/ferry');
export const IMAGE = 'registry.example.com/chaos/web';

export type Mode = 'SIGKILL' | 'SIGTERM' | 'EPIPE' | 'replica';

export interface Outcome {
  mode: Mode;
  killedAfterMs: number;
  /** the killed release's outcome once the next deploy ran */
  killedOutcome: string;
  nextOutcome: string;
  /** how long the next deploy's lock step took (its wait for the lease) */
  nextWaitedMs: number;
  /** replica mode: from the SIGKILL until the other replica started the request again */
  takeoverMs?: number;
  /** how the next deploy got the lease: free, or taken over (holder-gone, expired) — its lock step */
  lease: string;
  running: number;
  mismatch: boolean;
  /** replica mode: the request did not end succeeded */
  lost?: boolean;
}

/** A project with one 3-replica service `web` (with a migration) in environment `chaos`. */
export function chaosApp(namespace: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
  mkdirSync(join(dir, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']\nenvironments:\n  chaos: { namespace: ${namespace}, tls: { disabled: true } }\npolicy: { progressDeadline: 60s }\n`,
  );
  writeFileSync(
    join(dir, 'services', 'web', 'ferry.yaml'),
    `service: web\nimage: ${IMAGE}\ncommand: ./serve\nport: 8080\nhealth: /healthz\nresources: { cpu: 50m, memory: 32Mi }\ninstances: 3\nmigrations: { command: ./migrate, down: ./migrate down, timeout: 60s }\n`,
  );
  return dir;
}

/** Runs a child to its end (SIGKILLed after `limitMs`); resolves with its exit code or signal. */
export function runChild(
  cmd: string,
  args: string[],
  opts: SpawnOptions,
  limitMs: number,
  onStart?: (kill: (s: NodeJS.Signals) => void) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore', ...opts });
    let hung = false;
    const t = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    onStart?.((s) => child.kill(s));
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, hung });
    });
  });
}

export function liveImage(namespace: string): string | undefined {
  const r = spawnSync(
    kubectl,
    [
      '--kubeconfig',
      kubeconfig,
      '-n',
      namespace,
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function deleteNamespace(namespace: string): void {
  spawnSync(kubectl, ['--kubeconfig', kubeconfig, 'delete', 'namespace', namespace, '--wait=false']);
}

/** After a round: releases still running, the last release's lock wait, the last good version. */
export async function afterRound(
  store: Store,
): Promise<{ running: number; waitedMs: number | undefined; lease: string; lastGood: string | undefined }> {
  const last = await store.latest('web', 'chaos');
  const lock = last ? (await store.steps(keyOf(last))).find((s) => s.name === 'lock') : undefined;
  const running = (
    await store.releases({ service: 'web', environment: 'chaos', outcome: 'running', limit: 100 })
  ).items.length;
  const ok = await store.lastSuccessful('web', 'chaos');
  return {
    running,
    // the lock step ends once the release is recorded: its time is the wait plus a few store writes
    waitedMs: lock?.endedAt !== undefined ? lock.endedAt - lock.startedAt : undefined,
    lease: !lock?.message.includes('took over')
      ? 'free'
      : lock.message.includes('its process is gone')
        ? 'holder-gone'
        : 'expired',
    lastGood: ok?.version,
  };
}

/** The live image is the last successful release's or one of `versions`. */
export function mismatch(namespace: string, lastGood: string | undefined, versions: string[]): boolean {
  const image = liveImage(namespace);
  const expected = new Set([lastGood, ...versions].filter(Boolean).map((v) => `${IMAGE}:${v}`));
  return image !== undefined && !expected.has(image);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const randomKillMs = () => 200 + Math.floor(Math.random() * 7800);
