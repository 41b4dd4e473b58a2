// Conformance over ../shared/corpus (files written by others, read in place — CI clones the
// repository with shared/ beside it).
// 1. kompose's golden fixtures: ferry's Kubernetes output for the imported compose file must match
//    kompose's expected output on images, replicas, ports, env, probes, resources, volumes and
//    schedules, after the deliberate differences listed in DIFFERENCES (also in docs/import.md).
// 2. Every other corpus file imports without an unhandled error and with a complete report.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { importFiles } from '../src/import/index.ts';
import { isRecord } from '../src/import/source.ts';
import type { ImportResult } from '../src/import/types.ts';
import { appOf } from '../src/manifest/testing.ts';
import { serviceManifestSchema } from '../src/manifest/schema.ts';
import { resolveWorkload } from '../src/model/resolve.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';
import { CORPUS, FIXTURES, KOMPOSE, OTHER } from './kit/corpus.ts';

type Obj = Record<string, unknown>;

/** ferry's Kubernetes objects for an import (each service at the tag the source ran). */
function render(r: ImportResult): Obj[] {
  const app = appOf(r.services.map((s) => s.manifest));
  return r.services.flatMap(
    (s) =>
      renderKubernetes(resolveWorkload(app, s.manifest.service, 'prod', s.version ?? 'latest'))
        .objects as unknown as Obj[],
  );
}

interface Projection {
  /** the workload kind (Deployment, StatefulSet, DaemonSet, CronJob) */
  kind: string;
  /** a StatefulSet's claim templates: name → requested storage */
  claims: Record<string, unknown> | undefined;
  image: string;
  replicas: number | undefined;
  ports: string[];
  env: Record<string, string>;
  liveness: unknown;
  limits: unknown;
  mounts: string[];
  schedule: unknown;
}

function get(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const p of path) v = isRecord(v) ? v[p] : undefined;
  return v;
}

function probeOf(p: unknown, ports: unknown): unknown {
  if (!isRecord(p)) return undefined;
  const num = (port: unknown): unknown =>
    typeof port === 'string' && Array.isArray(ports)
      ? ((ports.find((x) => get(x, 'name') === port) as Obj | undefined)?.containerPort ?? port)
      : port;
  const handler = isRecord(p.exec)
    ? { exec: p.exec.command }
    : isRecord(p.httpGet)
      ? { http: `${String(num(p.httpGet.port))}${String(p.httpGet.path)}` }
      : isRecord(p.tcpSocket)
        ? { tcp: num(p.tcpSocket.port) }
        : undefined;
  return {
    handler,
    period: p.periodSeconds ?? 10,
    timeout: p.timeoutSeconds ?? 1,
    failure: p.failureThreshold ?? 3,
  };
}

/** Per container (kompose may group services into one pod): the compared fields. */
function project(objects: readonly Obj[]): Map<string, Projection> {
  const configMaps = new Map<string, Obj>();
  for (const o of objects)
    if (o.kind === 'ConfigMap')
      configMaps.set(String(get(o, 'metadata', 'name')), (get(o, 'data') as Obj) ?? {});
  const out = new Map<string, Projection>();
  for (const o of objects) {
    const kind = String(o.kind);
    const pod =
      kind === 'CronJob'
        ? get(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
        : get(o, 'spec', 'template', 'spec');
    if (!['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(kind) || !isRecord(pod)) continue;
    const containers = Array.isArray(pod.containers) ? pod.containers : [];
    for (const c of containers) {
      if (!isRecord(c)) continue;
      const env: Record<string, string> = {};
      for (const e of Array.isArray(c.env) ? c.env : []) {
        if (!isRecord(e)) continue;
        const ref = get(e, 'valueFrom', 'configMapKeyRef');
        if (isRecord(ref))
          env[String(e.name)] = String(configMaps.get(String(ref.name))?.[String(ref.key)] ?? '');
        else if (e.value !== undefined) env[String(e.name)] = String(e.value);
        else env[String(e.name)] = `<ref ${JSON.stringify(e.valueFrom)}>`;
      }
      const image = String(c.image);
      const limits = get(c, 'resources', 'limits');
      const templates = get(o, 'spec', 'volumeClaimTemplates');
      out.set(`${kind === 'CronJob' ? 'cron:' : ''}${String(c.name)}`, {
        kind,
        claims: Array.isArray(templates)
          ? Object.fromEntries(
              templates.map((t) => [
                String(get(t, 'metadata', 'name')),
                get(t, 'spec', 'resources', 'requests', 'storage'),
              ]),
            )
          : undefined,
        image: /:[^/]+$/.test(image) ? image : `${image}:latest`,
        replicas:
          kind === 'CronJob'
            ? undefined
            : ((get(o, 'spec', 'replicas') as number | undefined) ?? (kind === 'DaemonSet' ? undefined : 1)),
        ports: (Array.isArray(c.ports) ? c.ports : [])
          .map((p) => `${String(get(p, 'containerPort'))}/${String(get(p, 'protocol') ?? 'TCP')}`)
          .sort(),
        env,
        liveness: probeOf(c.livenessProbe, c.ports),
        limits:
          isRecord(limits) && (limits.cpu !== undefined || limits.memory !== undefined)
            ? { cpu: limits.cpu, memory: limits.memory }
            : undefined,
        mounts: (Array.isArray(c.volumeMounts) ? c.volumeMounts : [])
          .map((m) => String(get(m, 'mountPath')))
          .sort(),
        schedule:
          kind === 'CronJob'
            ? {
                cron: get(o, 'spec', 'schedule'),
                concurrency: get(o, 'spec', 'concurrencyPolicy') ?? 'Allow',
              }
            : undefined,
      });
    }
  }
  return out;
}

/** Deliberate differences from kompose, by id (each one is explained in docs/import.md). */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'shell-probe':
    'a string healthcheck test runs through /bin/sh -c (compose semantics); kompose puts the whole string in exec as one argv element',
  'default-limits':
    'ferry always sets CPU/memory limits (policy defaults 500m/512Mi); kompose leaves resources empty when compose has none',
  daemonset:
    'deploy.mode global → ferry runs a Deployment (1 instance, reported); kompose renders a DaemonSet',
  'stateful-volumes':
    'a service with a named volume runs as a StatefulSet with a claim per pod (Swarm volumes are per node); kompose renders a Deployment unless --controller statefulset',
  'probe-port':
    'a probe on an undeclared port adds that port to the container ports (ferry probes declared ports only); kompose probes it without declaring it',
  'secret-files':
    'ferry mounts each secret file at its own path (/run/secrets/<target>, subPath); kompose mounts the secret volume on the folder /run/secrets, hiding what the image has there',
  emptydir:
    'kompose --emptyvols mounts emptyDir; ferry keeps named volumes as persistent claims (same mount path)',
};

async function expectedObjects(file: string): Promise<Obj[]> {
  const text = await readFile(file, 'utf8');
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter(isRecord);
  return docs.flatMap((d) => (d.kind === 'List' && Array.isArray(d.items) ? d.items.filter(isRecord) : [d]));
}

/** Applies the deliberate differences to ferry's side; returns the ids used. */
function normalise(
  ferry: Map<string, Projection>,
  kompose: Map<string, Projection>,
  used: Set<string>,
): void {
  for (const [name, f] of [...ferry]) {
    const k = kompose.get(name);
    if (!k) continue;
    if (k.limits === undefined && f.limits !== undefined) {
      f.limits = undefined;
      used.add('default-limits');
    }
    const fe = get(f.liveness, 'handler', 'exec');
    const ke = get(k.liveness, 'handler', 'exec');
    if (
      Array.isArray(fe) &&
      Array.isArray(ke) &&
      fe.length === 3 &&
      fe[0] === '/bin/sh' &&
      fe[1] === '-c' &&
      ke.length === 1
    ) {
      (f.liveness as Obj).handler = { exec: [fe[2]] };
      used.add('shell-probe');
    }
    if (k.mounts.length > 0 && f.mounts.length > 0 && k.claims === undefined && f.claims !== undefined)
      used.add('emptydir');
    if (k.kind === 'Deployment' && f.kind === 'StatefulSet' && f.claims !== undefined) {
      f.kind = k.kind;
      f.claims = undefined;
      used.add('stateful-volumes');
    }
    if (k.kind === 'DaemonSet' && f.kind === 'Deployment') {
      f.kind = k.kind;
      f.replicas = k.replicas;
      used.add('daemonset');
    }
    // a file mounted under a folder kompose mounts whole
    const under = f.mounts.map((m) => k.mounts.find((d) => m.startsWith(`${d}/`)) ?? m);
    if (under.some((m, i) => m !== f.mounts[i])) {
      f.mounts = [...new Set(under)].sort();
      used.add('secret-files');
    }
    const kp =
      get(k.liveness, 'handler', 'tcp') ?? String(get(k.liveness, 'handler', 'http') ?? '').split('/')[0];
    const extra = f.ports.filter((p) => !k.ports.includes(p) && p === `${String(kp)}/TCP`);
    if (extra.length > 0) {
      f.ports = f.ports.filter((p) => !extra.includes(p));
      used.add('probe-port');
    }
  }
}

const results: string[] = [];
after(() => {
  const pass = results.filter((r) => r.startsWith('pass')).length;
  console.log(
    `kompose conformance: ${pass}/${FIXTURES.length} fixtures match on kinds, images, replicas, ports, env, probes, resources, volumes and claim templates, schedules`,
  );
  for (const r of results) console.log(`  ${r}`);
});

test('the corpus is beside the repository (../shared/corpus)', () => {
  assert.ok(
    existsSync(join(CORPUS, 'SOURCES.md')),
    `missing ${CORPUS}: clone with shared/ beside the repository`,
  );
});

for (const fx of FIXTURES) {
  test(`kompose fixture ${fx.dir}: ferry's Kubernetes output matches kompose's`, async () => {
    const r = await importFiles(
      fx.inputs.map((i) => join(KOMPOSE, fx.dir, i)),
      undefined,
      { vars: {} },
    );
    const ferry = project(render(r));
    const kompose = project(await expectedObjects(join(KOMPOSE, fx.dir, fx.expected)));
    const used = new Set<string>();
    normalise(ferry, kompose, used);
    for (const id of Object.values(fx.skip ?? {})) used.add(id!);
    assert.deepEqual([...ferry.keys()].sort(), [...kompose.keys()].sort(), 'the same containers');
    for (const [name, k] of kompose) {
      const f = ferry.get(name)!;
      for (const field of Object.keys(k) as (keyof Projection)[]) {
        if (fx.skip?.[field]) continue;
        assert.deepEqual(f[field], k[field], `${fx.dir} ${name}.${field}`);
      }
    }
    for (const id of used) assert.ok(DIFFERENCES[id], id);
    results.push(
      `pass ${fx.dir}${used.size > 0 ? ` (deliberate differences: ${[...used].sort().join(', ')})` : ''}`,
    );
  });
}

/** The top-level fields of every service/app/job: each must appear in the report. */
function fieldPaths(format: string, value: unknown): string[] {
  const out: string[] = [];
  const fields = (o: unknown, prefix: string): void => {
    if (isRecord(o))
      for (const k of Object.keys(o))
        out.push(
          `${prefix}${/^[A-Za-z_$][-\w$]*$/.test(k) ? (prefix ? '.' : '') + k : `[${JSON.stringify(k)}]`}`,
        );
  };
  if (format === 'compose' && isRecord(value) && isRecord(value.services))
    for (const [k, s] of Object.entries(value.services)) fields(s, `services.${k}`);
  else if (format === 'chronos') fields(value, '');
  else if (format === 'beanstalk' && isRecord(value) && Array.isArray(value.containerDefinitions))
    value.containerDefinitions.forEach((c, i) => fields(c, `containerDefinitions[${i}]`));
  else if (format === 'marathon') {
    const apps = (g: unknown, prefix: string): void => {
      if (Array.isArray(g)) return g.forEach((a, i) => fields(a, `[${i}]`));
      if (!isRecord(g)) return;
      if (Array.isArray(g.apps))
        g.apps.forEach((a, i) => fields(a, `${prefix}${prefix ? '.' : ''}apps[${i}]`));
      if (Array.isArray(g.groups))
        g.groups.forEach((s, i) => apps(s, `${prefix}${prefix ? '.' : ''}groups[${i}]`));
      if (!Array.isArray(g.apps) && !Array.isArray(g.groups)) fields(g, '');
    };
    apps(value, '');
  }
  return out;
}

let imported = 0;
let otherFiles = 0;
for (const o of OTHER) {
  test(`corpus ${o.name}: imports with a complete report`, async () => {
    const files = await o.files();
    assert.ok(files.length > 0, 'at least one input');
    for (const set of o.together ? [files] : files.map((f) => [f])) {
      const f = set[0]!;
      otherFiles++;
      const r = await importFiles(set, undefined, { vars: {} });
      assert.equal(r.format, o.format);
      for (const s of r.services) {
        const v = serviceManifestSchema.safeParse(s.manifest);
        assert.ok(v.success, `${s.manifest.service}: ${JSON.stringify(v.error?.issues)}`);
      }
      // every service resolves and renders
      render(r);
      // the top-level fields of a single file (a folder or Procfile is read by the importer itself)
      const single = set.length === 1 && (await stat(f)).isFile() && !/Procfile/.test(f);
      const value: unknown = single ? parseAllDocuments(await readFile(f, 'utf8'))[0]?.toJS() : undefined;
      const paths = r.report.map((e) => e.path);
      for (const p of fieldPaths(o.format, value))
        assert.ok(
          paths.some((x) => x === '' || x === p || x.startsWith(`${p}.`) || x.startsWith(`${p}[`)),
          `${f}: ${p} is in the report`,
        );
      for (const e of r.report) if (e.outcome !== 'mapped') assert.ok(e.note, `${e.path}: says how or why`);
      imported++;
    }
  });
}

after(() =>
  console.log(`corpus imports: ${imported}/${otherFiles} other corpus files import with a complete report`),
);
