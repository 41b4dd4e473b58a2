import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importBeanstalk } from './index.ts';

async function file(value: unknown): Promise<string> {
  const f = join(await mkdtemp(join(tmpdir(), 'ferry-eb-')), 'Dockerrun.aws.json');
  await writeFile(f, JSON.stringify(value, null, 2));
  return f;
}

test('Dockerrun v1: one service from Image and Ports', async () => {
  const r = await importBeanstalk([
    await file({
      AWSEBDockerrunVersion: '1',
      Image: { Name: 'janedoe/image:2.0', Update: 'true' },
      Ports: [{ ContainerPort: '5000' }],
      Logging: '/var/log/nginx',
    }),
  ]);
  assert.deepEqual(r.services[0]?.manifest, { service: 'app', image: 'janedoe/image', port: 5000 });
  assert.equal(r.services[0]?.version, '2.0');
  assert.equal(r.report.find((e) => e.path === 'Logging')?.outcome, 'dropped');
});

test('Dockerrun v2: one service per container; links and log volumes are reported', async () => {
  const r = await importBeanstalk([
    await file({
      AWSEBDockerrunVersion: 2,
      volumes: [{ name: 'app', host: { sourcePath: '/var/app/current' } }],
      containerDefinitions: [
        {
          name: 'php-app',
          image: 'php:fpm',
          memory: 128,
          cpu: 512,
          environment: [{ name: 'Container', value: 'PHP' }],
          essential: true,
          mountPoints: [{ sourceVolume: 'app', containerPath: '/var/www/html' }],
        },
        {
          name: 'nginx_proxy',
          image: 'nginx',
          memoryReservation: 64,
          portMappings: [{ hostPort: 80, containerPort: 80 }],
          links: ['php-app'],
          mountPoints: [{ sourceVolume: 'awseb-logs-nginx-proxy', containerPath: '/var/log/nginx' }],
        },
      ],
    }),
  ]);
  assert.deepEqual(
    r.services.map((s) => s.manifest),
    [
      { service: 'nginx-proxy', image: 'nginx', resources: { memory: '64Mi' }, port: 80 },
      {
        service: 'php-app',
        image: 'php',
        resources: { memory: '128Mi', cpu: '500m' },
        env: { Container: 'PHP' },
      },
    ],
  );
  const by = new Map(r.report.map((e) => [e.path, e]));
  assert.equal(by.get('containerDefinitions[1].links')?.outcome, 'dropped');
  assert.match(by.get('containerDefinitions[1].mountPoints[0]')?.note ?? '', /log/);
  assert.equal(by.get('containerDefinitions[0].cpu')?.outcome, 'approximated');
});
