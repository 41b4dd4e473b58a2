// Real traffic through a real Traefik v3 (built from its pinned Go module) driven by the runbook:
// two local HTTP servers are the old and the new platform (ExternalName Services to localhost
// ports), a third is the maintenance page. Over 2,000 requests per weight the observed split is
// the configured weight ± 5 %; in maintenance every request answers 503 with the Retry-After
// ferry's middleware adds (a 3 s observation window after each weight gives Traefik time to load it); X-Forwarded-For reaches the app, and ferry's check says so — and says
// BLOCKING, naming the settings, behind a Traefik that does not trust the client's header.
import assert from 'node:assert/strict';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { KObject } from '../../src/cluster/types.ts';
import { createEngine } from '../../src/engine/config.ts';
import { runContext } from '../../src/engine/context.ts';
import { forwardedFor } from '../../src/engine/cutover/pitfalls.ts';
import { Cutover } from '../../src/engine/cutover/runbook.ts';
import { FerryError } from '../../src/errors.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { openStore } from '../../src/store/open.ts';
import { testKubeconfigPath, waitFor, withNamespace } from '../kit/cluster.ts';
import { cutoverProject, installCutoverCrds, traefikCache } from './kit.ts';
import { startTraefik, type Traefik } from './traefik.ts';

before(installCutoverCrds, { timeout: 180_000 });
// the proxy is built once from its pinned Go module (scripts/setup.sh does it; ≈ 15 min on 2
// cores with a warm Go build cache) and cached in ~/.cache/ferry/traefik/<version>/
before(() => void traefikCache('proxy'), { timeout: 5_400_000 });

const HOST = 'web.example.com';
const REQUESTS = 2000;

function backend(name: string, status = 200): Promise<Server> {
  const s = createServer((req, res) => {
    res.statusCode = status;
    if (req.url === '/echo') res.end(JSON.stringify({ name, headers: req.headers }));
    else res.end(name);
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function get(port: number, path = '/', headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { host: HOST, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The weights Traefik itself has loaded for web's TraefikService, sorted. */
async function loadedWeights(t: Traefik, namespace: string): Promise<number[] | undefined> {
  const res = await fetch(
    `http://127.0.0.1:${t.apiPort}/api/http/services/${namespace}-web-cutover@kubernetescrd`,
  );
  if (!res.ok) return undefined;
  const s = (await res.json()) as { weighted?: { services?: { weight?: number }[] } };
  return (s.weighted?.services ?? []).map((x) => x.weight ?? 1).sort((a, b) => a - b);
}

const runbook = (oldPort: number, pagePort: number, via: string) => `    entryPoints: [web]
    services:
      web:
        old: { host: localhost, port: ${oldPort} }
    maintenance: { page: { host: localhost, port: ${pagePort} }, retryAfter: 120s }
    checkVia: ${via}
    forwardedFor: { url: "http://${HOST}/echo" }
    steps:
      - maintenance: "on"
      - run: { name: page-measured, confirm: "the page answers" }
      - maintenance: "off"
      - weights: [5]
        observe: 3s
      - run: { name: at-5, confirm: "measured" }
      - weights: [25]
        observe: 3s
      - run: { name: at-25, confirm: "measured" }
      - weights: [50]
        observe: 3s
      - run: { name: at-50, confirm: "measured" }
      - weights: [100]
        observe: 3s
`;

test(
  'Traefik: maintenance answers 503 with Retry-After, each weight splits 2,000 requests within 5 %, X-Forwarded-For arrives',
  { timeout: 2_400_000 },
  async () => {
    await withNamespace('cutover-traffic', async ({ namespace }) => {
      const [oldS, newS, page] = await Promise.all([
        backend('old'),
        backend('new'),
        backend('maintenance', 503),
      ]);
      const traefik = await startTraefik(namespace, { trustForwarded: true });
      const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
      const service = `service: web\nimage: registry.example.com/shop/web\nport: ${portOf(newS)}\nroutes:\n  - { host: ${HOST}, public: true }\n`;
      const project = cutoverProject(
        namespace,
        'traefik',
        runbook(portOf(oldS), portOf(page), `127.0.0.1:${traefik.port}`),
        {
          services: { web: service },
          tls: '{ disabled: true }',
        },
      );
      const store = await openStore(project.statePath);
      try {
        // the new platform's Service, as a deploy would leave it, here pointing at the local "new" server
        await cluster.apply({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web', namespace },
          spec: {
            type: 'ExternalName',
            externalName: 'localhost',
            ports: [{ name: 'http', port: portOf(newS) }],
          },
        } as KObject);
        const engine = createEngine(
          { root: join(project.statePath, '..'), env: process.env, clusterCommand: true },
          { clusterFor: () => cluster, store },
        );
        const c = new Cutover(engine, await loadApp(project.dir), 'prod');
        const go = async (confirmed: boolean) => {
          const req = { confirmed, leaseMs: 10_000 };
          const r = confirmed
            ? c.next(req, runContext({ actor: 'test@ferry' }))
            : c.start(req, runContext({ actor: 'test@ferry' }));
          return r.then(
            (v) => v.phase,
            (e: unknown) => {
              if (e instanceof FerryError && e.code === 'E_CUTOVER_CONFIRM') return 'confirm';
              throw e;
            },
          );
        };

        // maintenance on: every request gets the page's 503 with ferry's Retry-After
        assert.equal(await go(false), 'confirm');
        await waitFor(
          'Traefik serving the maintenance page',
          async () => ((await get(traefik.port).catch(() => undefined))?.status === 503 ? true : undefined),
          60_000,
        );
        const m = await Promise.all(Array.from({ length: 200 }, () => get(traefik.port)));
        assert.deepEqual(
          new Set(m.map((r) => `${r.status} ${r.retryAfter} ${r.body}`)),
          new Set(['503 120 maintenance']),
        );

        const measured: Record<number, number> = {};
        for (const w of [5, 25, 50, 100]) {
          assert.equal(
            await go(true),
            w === 100 ? 'succeeded' : 'confirm',
            `weight ${w}: ${traefik.log().slice(-2000)}`,
          );
          const want = [w, 100 - w].filter((x) => x > 0).sort((a, b) => a - b);
          await waitFor(
            `Traefik loading ${w} %`,
            async () =>
              JSON.stringify(await loadedWeights(traefik, namespace)) === JSON.stringify(want)
                ? true
                : undefined,
            60_000,
          );
          let toNew = 0;
          for (let i = 0; i < REQUESTS; i++) {
            const r = await get(traefik.port);
            assert.equal(r.status, 200);
            if (r.body === 'new') toNew++;
            else assert.equal(r.body, 'old');
          }
          measured[w] = (toNew / REQUESTS) * 100;
          assert.ok(
            Math.abs(measured[w] - w) <= 5,
            `weight ${w} %: observed ${measured[w]} % to the new platform`,
          );
        }
        console.log(`observed split over ${REQUESTS} requests per weight: ${JSON.stringify(measured)}`);

        // the client's address reaches the app, and ferry's check agrees
        const echo = JSON.parse(
          (await get(traefik.port, '/echo', { 'x-forwarded-for': '198.51.100.9' })).body,
        ) as { headers: Record<string, string> };
        assert.match(echo.headers['x-forwarded-for'] ?? '', /^198\.51\.100\.9, 127\.0\.0\.1$/);
        assert.equal((await forwardedFor(c.plan, new AbortController().signal)).level, 'ok');

        // behind a Traefik that does not trust the incoming header, the check blocks and names the fix
        const untrusting = await startTraefik(namespace, { trustForwarded: false });
        try {
          const plan = { ...c.plan, checkVia: `127.0.0.1:${untrusting.port}` };
          await waitFor(
            'the second Traefik routing',
            async () =>
              (await get(untrusting.port).catch(() => undefined))?.status === 200 ? true : undefined,
            60_000,
          );
          const p = await forwardedFor(plan, new AbortController().signal);
          assert.equal(p.level, 'blocking');
          assert.match(
            p.message,
            /use-forwarded-headers.*compute-full-forwarded-for.*server\.forward-headers-strategy/,
          );
        } finally {
          await untrusting.stop();
        }
      } finally {
        await traefik.stop();
        agent.destroy();
        for (const s of [oldS, newS, page]) s.close();
        await store.close();
        project.cleanup();
      }
    });
  },
);
