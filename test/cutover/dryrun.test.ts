// Every object of every traffic state of the runbook, for each driver, is accepted by the real API
// server's server-side dry-run — with the Traefik CRDs from github.com/traefik/traefik/v3 and the
// Gateway API standard CRDs from sigs.k8s.io/gateway-api at pinned versions installed for real.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { KObject } from '../../src/cluster/types.ts';
import { stateBefore } from '../../src/engine/cutover/machine.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { resolveCutover, type CutoverDriver } from '../../src/model/cutover.ts';
import { renderCutover } from '../../src/render/cutover/index.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { cutoverProject, installCutoverCrds } from './kit.ts';

before(installCutoverCrds, { timeout: 180_000 });

const RUNBOOK = `    gateway: { name: public, namespace: gateways, sectionName: https }
    services:
      web:
        old: { host: old-lb.example.net, port: 80, hostHeader: old-lb.example.net }
      api:
        old: { address: 192.0.2.10, port: 443, tls: true, tlsName: api.old.example.net }
    steps:
      - maintenance: "on"
      - services: "on"
      - maintenance: "off"
      - weights: [5, 25, 50, 100]
        observe: 0s
`;

for (const driver of ['ingress-nginx', 'traefik', 'gateway-api'] as CutoverDriver[]) {
  for (const page of ['image', 'backend'] as const) {
    test(
      `${driver}, maintenance page by ${page}: every state's objects pass server-side dry-run`,
      { timeout: 120_000 },
      async () => {
        await withNamespace(`cutover-dry-${driver.slice(0, 7)}`, async ({ namespace }) => {
          const extra =
            page === 'backend' ? '    maintenance: { page: { host: status.example.net, port: 80 } }\n' : '';
          const project = cutoverProject(namespace, driver, RUNBOOK + extra);
          try {
            const plan = resolveCutover(await loadApp(project.dir), 'prod');
            const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
            const kinds = new Set<string>();
            const failures: string[] = [];
            for (let i = 0; i <= plan.steps.length; i++) {
              for (const o of renderCutover(plan, stateBefore(plan.steps, i))) {
                kinds.add(o.kind);
                try {
                  const got = await cluster.apply(o as KObject, { dryRun: true });
                  assert.equal(got.kind, o.kind);
                } catch (e) {
                  failures.push(
                    `step ${i} ${o.kind}/${o.metadata.name}: ${e instanceof Error ? e.message : String(e)}`,
                  );
                }
              }
            }
            assert.deepEqual(failures, [], failures.join('\n'));
            const expected = {
              'ingress-nginx': ['Ingress', 'EndpointSlice'],
              traefik: ['TraefikService', 'IngressRoute', 'Middleware', 'ServersTransport'],
              'gateway-api': ['HTTPRoute', 'BackendTLSPolicy'],
            }[driver];
            for (const k of [...expected, 'Service', ...(page === 'image' ? ['Deployment'] : [])])
              assert.ok(kinds.has(k), `${k} among ${[...kinds].join(', ')}`);
          } finally {
            project.cleanup();
          }
        });
      },
    );
  }
}
