// Property: import(render(manifest)) means the same as the manifest, for everything both ferry and
// the old platform can express. Compared on resolved Workloads, so defaults written out by the
// renderer and left implicit in the manifest count as equal.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { appOf } from '../../manifest/testing.ts';
import type { ServiceManifest } from '../../manifest/schema.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import type { Command, Workload } from '../../model/types.ts';
import { isCronOnly } from '../../model/jobs.ts';
import { importCompose } from '../../import/compose/index.ts';
import { importFiles } from '../../import/index.ts';
import { renderSwarmStack } from './index.ts';
import { renderMarathon } from '../marathon/index.ts';

function argv(c: Command | undefined): string[] | undefined {
  if (!c) return undefined;
  return c.kind === 'shell' ? ['/bin/sh', '-c', c.script] : [...c.argv];
}

/** The parts of a Workload both formats carry (a cron-only service renders its crons only). */
function meaning(w: Workload, opts: { volumes: boolean }): unknown {
  const crons = w.crons.map((c) => ({
    name: c.name,
    cron: c.schedule.cron,
    command: argv(c.command),
    concurrency: c.concurrency,
    resources: c.resources,
    retries: c.retries,
  }));
  if (isCronOnly(w)) return { image: w.image, instances: 0, env: w.env, crons };
  return {
    image: w.image,
    command: argv(w.command),
    args: w.args && w.args.length > 0 ? w.args : undefined,
    ports: w.ports,
    instances: w.instances,
    resources: w.resources,
    env: w.env,
    health: w.health && {
      ...w.health,
      action:
        w.health.action.kind === 'exec'
          ? { kind: 'exec', argv: argv(w.health.action.command) }
          : w.health.action,
    },
    routes: w.routes,
    placement: w.placement.nodeSelector,
    crons,
    volumes: opts.volumes ? w.volumes.map((v) => ({ path: v.path, sizeBytes: v.sizeBytes })) : undefined,
  };
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/);
const envValue = fc.stringMatching(/^[a-zA-Z0-9 ./:-]{0,12}$/);
const cpu = fc.constantFrom('100m', '250m', '500m', '1', '2');
const memory = fc.constantFrom('64Mi', '128Mi', '512Mi', '1Gi');
const seconds = (lo: number, hi: number): fc.Arbitrary<string> =>
  fc.integer({ min: lo, max: hi }).map((n) => `${n}s`);
const schedule = fc.constantFrom('*/5 * * * *', '*/30 * * * *', '0 * * * *', '15 */6 * * *', '30 2 * * *');
const shell = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const exec = fc.array(word, { minLength: 1, maxLength: 3 });

function manifest(opts: {
  execCommands: boolean;
  args: boolean;
  httpHealth: boolean;
  volumes: boolean;
}): fc.Arbitrary<ServiceManifest> {
  const command = opts.execCommands ? fc.oneof(shell, exec) : shell;
  return fc
    .record(
      {
        name: fc.constantFrom('api', 'web', 'worker'),
        command,
        args: fc.array(word, { minLength: 1, maxLength: 2 }),
        port: fc.integer({ min: 1024, max: 9999 }),
        instances: fc.integer({ min: 0, max: 6 }),
        cpu,
        memory,
        env: fc.dictionary(envName, envValue, { maxKeys: 3 }),
        health: fc.record({
          kind: fc.constantFrom(
            ...(opts.httpHealth ? (['http', 'tcp', 'command'] as const) : (['command'] as const)),
          ),
          command,
          period: seconds(1, 30),
          timeout: seconds(1, 10),
          startup: seconds(10, 120),
          failureThreshold: fc.integer({ min: 1, max: 6 }),
        }),
        routes: fc.uniqueArray(
          fc.record({ host: word.map((w) => `${w}.example.org`), path: fc.constantFrom('/', '/api') }),
          { maxLength: 2, selector: (r) => r.host },
        ),
        nodeSelector: fc.dictionary(word, word, { maxKeys: 2 }),
        crons: fc.uniqueArray(
          fc.record({
            name: word,
            schedule,
            command: shell,
            concurrency: fc.constantFrom('forbid' as const, 'allow' as const),
            retries: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
          }),
          { maxLength: 2, selector: (c) => c.name },
        ),
        volumeSize: fc.constantFrom('1Gi', '512Mi'),
      },
      { requiredKeys: ['name', 'port', 'instances', 'cpu', 'memory'] },
    )
    .map((r) => {
      const m: ServiceManifest = {
        service: r.name,
        image: `registry.example.com/team/${r.name}`,
        port: r.port,
        instances: r.instances,
        resources: { cpu: r.cpu, memory: r.memory },
      };
      if (r.command !== undefined) m.command = r.command;
      if (opts.args && r.args !== undefined && (r.command === undefined || Array.isArray(r.command)))
        m.args = r.args;
      if (r.env && Object.keys(r.env).length > 0) m.env = r.env;
      if (r.health) {
        const { kind, command: hc, ...timing } = r.health;
        m.health =
          kind === 'http'
            ? { path: '/health', ...timing }
            : kind === 'tcp'
              ? { tcp: true, ...timing }
              : { command: hc, ...timing };
      }
      if (r.routes && r.routes.length > 0) {
        // Marathon has one path per app: the first route's path applies to every host.
        const path = r.routes[0]!.path;
        m.routes = r.routes.map((x) => ({
          host: x.host,
          public: true,
          ...(opts.httpHealth && path !== '/'
            ? { path }
            : !opts.httpHealth && x.path !== '/'
              ? { path: x.path }
              : {}),
        }));
      }
      if (r.nodeSelector && Object.keys(r.nodeSelector).length > 0)
        m.placement = { nodeSelector: r.nodeSelector };
      if (r.crons && r.crons.length > 0) m.crons = r.crons;
      if (opts.volumes && r.volumeSize) m.volumes = [{ name: 'data', path: '/data', size: r.volumeSize }];
      return m;
    });
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-roundtrip-'));
  const f = join(dir, name);
  await writeFile(f, text);
  return f;
}

test('swarm: import(render(manifest)) keeps the meaning', async () => {
  await fc.assert(
    fc.asyncProperty(
      manifest({ execCommands: true, args: true, httpHealth: false, volumes: false }),
      async (m) => {
        const w = resolveWorkload(appOf([m]), m.service, 'prod', '1.2.3');
        const file = await tempFile('stack.yml', stringify(renderSwarmStack([w])));
        const r = await importCompose([file]);
        assert.equal(r.services.length, 1, 'crons fold back into their service');
        const back = r.services[0]!;
        assert.equal(back.version, '1.2.3');
        const w2 = resolveWorkload(
          appOf([back.manifest]),
          back.manifest.service,
          'prod',
          back.version ?? 'latest',
        );
        assert.deepEqual(meaning(w2, { volumes: false }), meaning(w, { volumes: false }));
      },
    ),
    { numRuns: 60 },
  );
});

test('marathon + chronos: import(render(manifest)) keeps the meaning, the jobs as the app’s crons', async () => {
  await fc.assert(
    fc.asyncProperty(
      manifest({ execCommands: false, args: false, httpHealth: true, volumes: true }),
      async (m) => {
        const w = resolveWorkload(appOf([m]), m.service, 'prod', '1.2.3');
        const [group, ...jobs] = renderMarathon(w.environment, [w]);
        const files: string[] = [];
        if ((group?.apps as unknown[]).length > 0)
          files.push(await tempFile('marathon.json', JSON.stringify(group)));
        if (jobs.length > 0) files.push(await tempFile('jobs.json', JSON.stringify(jobs)));
        const r = await importFiles(files);
        assert.equal(r.services.length, 1, 'the jobs are crons of the app that runs their image');
        const back = r.services[0]!;
        const w2 = resolveWorkload(
          appOf([back.manifest]),
          back.manifest.service,
          'prod',
          back.version ?? 'latest',
        );
        assert.deepEqual(meaning(w2, { volumes: true }), meaning(w, { volumes: true }));
        assert.deepEqual(
          w2.crons.map((c) => c.startingDeadlineSeconds),
          w.crons.map((c) => c.startingDeadlineSeconds),
        );
      },
    ),
    { numRuns: 60 },
  );
});
