import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { LABEL_FAMILIES, mapLabels } from './index.ts';

test('HAPROXY vhost and path labels → one route per host and path; external group → public', () => {
  const r = runMappers(
    [mapLabels],
    {
      labels: {
        HAPROXY_GROUP: 'external',
        HAPROXY_0_VHOST: 'a.example.com,b.example.com',
        HAPROXY_0_PATH: '-i /api /admin',
        HAPROXY_1_VHOST: 'metrics.example.com',
        HAPROXY_DEPLOYMENT_GROUP: 'hcn',
        HAPROXY_0_MODE: 'tcp',
        team: 'anna',
      },
    },
    { ports: [{ port: 8080 }, { port: 9090 }] },
  );
  assert.deepEqual(r.m.routes, [
    { host: 'a.example.com', path: '/api', public: true },
    { host: 'a.example.com', path: '/admin', public: true },
    { host: 'b.example.com', path: '/api', public: true },
    { host: 'b.example.com', path: '/admin', public: true },
    { host: 'metrics.example.com', public: true, port: 9090 },
  ]);
  assert.equal(r.at('labels.HAPROXY_DEPLOYMENT_GROUP')?.outcome, 'approximated');
  assert.equal(r.at('labels.HAPROXY_0_MODE')?.outcome, 'dropped');
  assert.equal(r.at('labels.team')?.outcome, 'dropped');
  assert.equal(LABEL_FAMILIES.filter((f) => f.claims('team')).length, 0);
});

test('a group without vhosts is one route with the group visibility', () => {
  assert.deepEqual(runMappers([mapLabels], { labels: { HAPROXY_GROUP: 'internal' } }).m.routes, [{}]);
  assert.deepEqual(runMappers([mapLabels], { labels: { HAPROXY_GROUP: 'external' } }).m.routes, [
    { public: true },
  ]);
});
