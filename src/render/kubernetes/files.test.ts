import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MountedFile } from '../../model/types.ts';
import { testWorkload } from './fixture.ts';
import { renderKubernetes } from './index.ts';
import type { KubeObject } from './object.ts';

const files: MountedFile[] = [
  {
    path: '/etc/nginx/conf.d/default.conf',
    source: { kind: 'content', content: 'server {}\n' },
    mode: 0o444,
  },
  {
    path: '/run/secrets/db_password',
    source: { kind: 'secret', name: 'db-password', key: 'db_password' },
    mode: 0o440,
  },
  { path: '/srv/default.conf', source: { kind: 'content', content: 'x=1\n' }, mode: 0o444 },
];

interface PodSpec {
  volumes?: { name: string; secret?: unknown; configMap?: unknown }[];
  containers: { volumeMounts?: unknown[] }[];
}

function podOf(o: KubeObject | undefined): PodSpec {
  const spec = (o as unknown as { spec: Record<string, unknown> }).spec;
  const t = (
    o?.kind === 'CronJob'
      ? (spec.jobTemplate as { spec: { template: unknown } }).spec.template
      : spec.template
  ) as {
    spec: PodSpec;
  };
  return t.spec;
}

test('files: content in one ConfigMap (unique keys), each file one volume mounted at its path with subPath', () => {
  const r = renderKubernetes(testWorkload({ files }));
  const cm = r.objects.find((o) => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> };
  assert.equal(cm.metadata.name, 'hcn-files');
  assert.deepEqual(cm.data, { 'default.conf': 'server {}\n', 'default.conf-2': 'x=1\n' });
  const pod = podOf(r.objects.find((o) => o.kind === 'Deployment'));
  assert.deepEqual(pod.volumes, [
    {
      name: 'ferry-file-0',
      configMap: { name: 'hcn-files', items: [{ key: 'default.conf', path: 'default.conf', mode: 0o444 }] },
    },
    {
      name: 'ferry-file-1',
      secret: {
        secretName: 'db-password',
        items: [{ key: 'db_password', path: 'db_password', mode: 0o440 }],
      },
    },
    {
      name: 'ferry-file-2',
      configMap: { name: 'hcn-files', items: [{ key: 'default.conf-2', path: 'default.conf', mode: 0o444 }] },
    },
  ]);
  assert.deepEqual(pod.containers[0]?.volumeMounts, [
    {
      name: 'ferry-file-0',
      mountPath: '/etc/nginx/conf.d/default.conf',
      subPath: 'default.conf',
      readOnly: true,
    },
    { name: 'ferry-file-1', mountPath: '/run/secrets/db_password', subPath: 'db_password', readOnly: true },
    { name: 'ferry-file-2', mountPath: '/srv/default.conf', subPath: 'default.conf', readOnly: true },
  ]);
});

test('files are mounted in the crons and the migration too; a secret-only set renders no ConfigMap', () => {
  const r = renderKubernetes(
    testWorkload({
      files: [files[1]!],
      migration: { command: { kind: 'shell', script: 'migrate' }, down: undefined, timeoutSeconds: 60 },
      crons: [
        {
          name: 'c',
          schedule: { cron: '* * * * *', source: '* * * * *', format: 'cron', timezone: undefined },
          command: { kind: 'shell', script: 'x' },
          concurrency: 'Forbid',
          startingDeadlineSeconds: 60,
          activeDeadlineSeconds: 60,
          resources: { cpuMillis: 100, memoryBytes: 64 * 1024 ** 2 },
          retries: 2,
        },
      ],
    }),
  );
  assert.equal(
    r.objects.find((o) => o.kind === 'ConfigMap'),
    undefined,
  );
  for (const o of [r.objects.find((x) => x.kind === 'CronJob'), r.migration?.up])
    assert.deepEqual(
      podOf(o).volumes?.map((v) => v.name),
      ['ferry-file-0'],
      o?.kind,
    );
});

test('a ConfigMap file is read from that ConfigMap and key', () => {
  const r = renderKubernetes(
    testWorkload({
      files: [
        {
          path: '/redis_config',
          source: { kind: 'configMap', name: 'my-config', key: 'my_config.txt' },
          mode: 0o440,
        },
      ],
    }),
  );
  assert.equal(
    r.objects.find((o) => o.kind === 'ConfigMap'),
    undefined,
  );
  assert.deepEqual(podOf(r.objects.find((o) => o.kind === 'Deployment')).volumes, [
    {
      name: 'ferry-file-0',
      configMap: { name: 'my-config', items: [{ key: 'my_config.txt', path: 'redis_config', mode: 0o440 }] },
    },
  ]);
});
