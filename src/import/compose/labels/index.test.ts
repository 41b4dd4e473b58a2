import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapRoutes } from '../map/routes.ts';
import { LABEL_FAMILIES, mapLabels, serviceLabels } from './index.ts';

test('every label goes to one family at most; labels no family claims are dropped', () => {
  const keys = [
    'traefik.enable',
    'kompose.service.expose',
    'swarm.cronjob.enable',
    'ferry.cron.service',
    'com.docker.lb.hosts',
    'interlock.hostname',
  ];
  for (const k of keys) assert.equal(LABEL_FAMILIES.filter((f) => f.claims(k)).length, 1, k);
  assert.equal(LABEL_FAMILIES.filter((f) => f.claims('com.example.team')).length, 0);
  const r = runMappers(
    [mapLabels, mapRoutes],
    {
      labels: {
        'com.example.team': 'shop',
        'com.docker.lb.hosts': 'a.com, b.com',
        'ferry.cron.service': 'api',
      },
    },
    { manifest: { port: 80 } },
  );
  assert.equal(r.at('labels["com.docker.lb.hosts"]')?.outcome, 'mapped');
  assert.equal(r.at('labels["com.example.team"]')?.outcome, 'dropped');
  assert.deepEqual(r.m.routes, [
    { host: 'a.com', public: true },
    { host: 'b.com', public: true },
  ]);
  assert.equal(r.at('labels["ferry.cron.service"]')?.to, 'crons');
});

test('service labels come before deploy labels; null values read as ""', () => {
  const labels = serviceLabels({ labels: { a: null }, deploy: { labels: { b: 1 } } }, (...p) => p);
  assert.deepEqual(labels, [
    { key: 'a', value: '', at: ['labels', 'a'] },
    { key: 'b', value: '1', at: ['deploy', 'labels', 'b'] },
  ]);
});
