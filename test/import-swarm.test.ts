// The Swarm migration case of issue 12: a production stack with a database on a host path and
// file secrets imports into manifests whose Kubernetes render gives the database a persistent
// volume and mounts each secret at /run/secrets/<name> (test/fixtures/swarm-shop).
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../src/import/index.ts';
import { writeImport } from '../src/import/write.ts';
import { loadApp } from '../src/manifest/load.ts';
import { listWorkloads } from '../src/model/resolve.ts';
import { renderKubernetes, type KubeObject } from '../src/render/kubernetes/index.ts';

const STACK = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/swarm-shop/docker-stack.yml');

type Obj = Record<string, unknown>;
interface Pod {
  volumes?: {
    name: string;
    secret?: { secretName: string; items: { key: string }[] };
    persistentVolumeClaim?: unknown;
  }[];
  containers: { volumeMounts?: { name: string; mountPath: string; subPath?: string }[] }[];
}

function pod(o: KubeObject): Pod {
  const spec = (o as unknown as { spec: Obj }).spec;
  const t = o.kind === 'CronJob' ? (spec.jobTemplate as { spec: Obj }).spec.template : spec.template;
  return (t as { spec: Pod }).spec;
}

/** Mount path → the Secret (and key) mounted there. */
function secretMounts(o: KubeObject): Record<string, string> {
  const p = pod(o);
  const out: Record<string, string> = {};
  for (const m of p.containers[0]?.volumeMounts ?? []) {
    const v = p.volumes?.find((x) => x.name === m.name);
    if (v?.secret) out[m.mountPath] = `${v.secret.secretName}#${v.secret.items[0]?.key ?? ''}`;
  }
  return out;
}

test('a Swarm stack with a host-path database and file secrets: persistent data, secrets at /run/secrets/<name>', async () => {
  const r = await importFiles([STACK], undefined, { vars: { SESSION_SECRET: 'from-the-shell' } });
  const out = await mkdtemp(join(tmpdir(), 'ferry-shop-'));
  await writeImport(r, out, { force: false });
  const app = await loadApp(out);
  const objects = listWorkloads(app, 'prod', '1.0.0').flatMap((w) => renderKubernetes(w).objects);
  const find = (kind: string, name: string): KubeObject => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind}/${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(' ')}`);
    return o;
  };

  // the database keeps its data: a StatefulSet with a claim for the data directory
  const db = find('StatefulSet', 'db') as KubeObject & { spec: Obj };
  assert.deepEqual(
    (db.spec.volumeClaimTemplates as Obj[]).map((t) => [
      (t.metadata as Obj).name,
      ((t.spec as Obj).resources as { requests: Obj }).requests.storage,
    ]),
    [['data', '10Gi']],
  );
  assert.ok(
    pod(db).containers[0]?.volumeMounts?.some(
      (m) => m.name === 'data' && m.mountPath === '/var/lib/postgresql/data',
    ),
  );
  find('Service', 'db-headless');
  // others reach it by name: it has a Service on the PostgreSQL port
  const svc = find('Service', 'db') as KubeObject & { spec: { ports: { port: number }[] } };
  assert.deepEqual(
    svc.spec.ports.map((p) => p.port),
    [5432],
  );
  assert.ok(r.report.some((e) => e.path === 'services.db.volumes[0]' && e.blocking === true));

  // every secret is a file at /run/secrets/<name>, in every pod that had it (the cron's too)
  assert.deepEqual(secretMounts(db), { '/run/secrets/db_password': 'db-password#db_password' });
  assert.deepEqual(secretMounts(find('Deployment', 'api')), {
    '/run/secrets/db_password': 'db-password#db_password',
    '/run/secrets/stripe_key': 'stripe-key#stripe_key',
  });
  assert.deepEqual(secretMounts(find('CronJob', 'backup-backup')), {
    '/run/secrets/db_password': 'db-password#db_password',
  });
  // the config file is a ConfigMap mounted at its target; the backup runs as a cron only
  const cm = find('ConfigMap', 'api-files') as KubeObject & { data: Obj };
  assert.match(String(cm.data['settings.toml']), /workers = 4/);
  assert.equal(
    objects.filter((o) => o.metadata.name === 'backup').length,
    0,
    'no Deployment or Service for the cron',
  );
  // the credential from the shell is a secret reference, not a value
  const api = app.services.find((s) => s.name === 'api')!;
  assert.equal(api.manifest.secrets?.SESSION_SECRET, 'secret:api-env#SESSION_SECRET');
  assert.ok(!api.text.includes('from-the-shell'));
});
