// Access control on the swarm target: allow lists become a Traefik ipWhiteList middleware, what a
// router cannot express (visibility, autoscaling) is a warning naming the route — never silent.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderCommand } from '../../cli/commands/render.ts';
import { importCompose } from '../../import/compose/index.ts';
import { loadApp } from '../../manifest/load.ts';
import { listWorkloads } from '../../model/resolve.ts';
import { toYamlStream } from '../serialize.ts';
import { renderSwarmStack, swarmWarnings } from './index.ts';

const examples = fileURLToPath(new URL('../../../examples', import.meta.url));

type Obj = Record<string, Record<string, Record<string, Record<string, string>>>>;

test('swarm: an allow list is an ipWhiteList middleware on its router and imports back', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const stack = renderSwarmStack(workloads) as { services: Obj };
  const labels = stack.services.document!.deploy!.labels!;
  const admin = Object.keys(labels).find((k) => /PathPrefix\(`\/admin`\)/.test(String(labels[k])));
  const router = /^traefik\.http\.routers\.([^.]+)\.rule$/.exec(admin ?? '')?.[1];
  assert.ok(router, JSON.stringify(labels));
  assert.equal(labels[`traefik.http.routers.${router}.middlewares`], `${router}-allow`);
  assert.equal(
    labels[`traefik.http.middlewares.${router}-allow.ipwhitelist.sourcerange`],
    '10.0.0.0/8,172.16.0.0/12',
  );
  const dir = await mkdtemp(join(tmpdir(), 'ferry-swarm-access-'));
  try {
    const file = join(dir, 'stack.yaml');
    await writeFile(file, toYamlStream([stack]));
    const back = await importCompose([file], {});
    const doc = back.services.find((s) => s.manifest.service === 'document')!;
    const route = doc.manifest.routes?.find((r) => r.path === '/admin');
    assert.deepEqual(route?.allow, ['10.0.0.0/8', '172.16.0.0/12']);
    assert.ok(!back.report.some((e) => e.outcome === 'dropped' && /middlewares/.test(e.path)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('swarm: an internal route and autoscaling are warnings naming them; -o json has "warnings"', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const warnings = swarmWarnings(workloads).filter((w) => /route/.test(w));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /^document: route document\.anna\.example\.com\/admin is internal/);
  assert.ok(
    swarmWarnings(workloads).includes(
      'hcn: FERRY_RABBITMQ_URL, MONGO_URL, AMQP_URL (from features) not rendered: set them in the stack or as Swarm secrets',
    ),
    swarmWarnings(workloads).join('\n'),
  );
  const preply = listWorkloads(await loadApp(join(examples, 'preply')), 'prod', '1.0.0');
  assert.ok(swarmWarnings(preply).some((w) => /^tutor-search: Swarm has no autoscaling/.test(w)));
  const stack = renderSwarmStack(preply) as { services: Obj };
  assert.equal(stack.services['tutor-search']!.deploy!.replicas, 3 as unknown as Record<string, string>);
  const seen: string[] = [];
  const json = JSON.parse(
    await renderCommand({
      dir: join(examples, 'anna'),
      services: [],
      env: 'prod',
      version: undefined,
      target: 'swarm',
      output: 'json',
      jobs: false,
      warn: (l) => seen.push(l),
    }),
  ) as { warnings?: string[] };
  assert.deepEqual(json.warnings, seen);
  assert.deepEqual(seen, swarmWarnings(workloads));
});

test('swarm: a $ meant for the container is written $$ (docker stack deploy interpolates $VAR)', async () => {
  const preply = listWorkloads(await loadApp(join(examples, 'preply')), 'prod', '1.0.0');
  const stack = renderSwarmStack(preply) as {
    services: Record<string, { healthcheck?: { test: string[] } }>;
  };
  assert.equal(
    stack.services.notifications!.healthcheck!.test[1],
    'celery -A notifications inspect ping -d celery@$$HOSTNAME',
  );
});
