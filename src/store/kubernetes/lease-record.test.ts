import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../errors.ts';
import { decodeHeld, leaseObject, microTime, splitLeaseKey, type Held } from './lease-record.ts';

const held: Held = {
  renewedAt: 5_000,
  lease: {
    key: 'hcn/test',
    holder: 'ann@box',
    token: 'tok',
    generation: 3,
    releaseId: 9,
    owner: { host: 'box', pid: 42, processStart: 7 },
    acquiredAt: 4_000,
    expiresAt: 35_000,
  },
};

test('MicroTime has six fractional digits, as the API server parses it', () => {
  assert.equal(microTime(1_234), '1970-01-01T00:00:01.234000Z');
});

test('a held lease round-trips through a Lease: Kubernetes fields, token and owner in annotations', () => {
  const o = leaseObject('hcn/test', undefined, held);
  assert.equal(o.metadata.name, 'ferry.lock.hcn.test');
  assert.deepEqual(o.spec, {
    holderIdentity: 'ann@box',
    leaseDurationSeconds: 30,
    acquireTime: '1970-01-01T00:00:04.000000Z',
    renewTime: '1970-01-01T00:00:05.000000Z',
    leaseTransitions: 3,
  });
  assert.deepEqual(decodeHeld(o, 'hcn/test'), held);
  // a client that turns times into Dates reads the same
  const dated = {
    ...o,
    spec: { ...(o.spec as object), renewTime: new Date(5_000), acquireTime: new Date(4_000) },
  };
  assert.deepEqual(decodeHeld(dated, 'hcn/test'), held);
});

test('a TTL is whole seconds, rounded up; a released Lease keeps its count and holds nothing', () => {
  const odd = leaseObject('hcn/test', undefined, { ...held, lease: { ...held.lease, expiresAt: 5_001 } });
  assert.equal((odd.spec as { leaseDurationSeconds: number }).leaseDurationSeconds, 1);
  const live = {
    ...leaseObject('hcn/test', undefined, held),
    metadata: { ...leaseObject('hcn/test', undefined, held).metadata, resourceVersion: '7' },
  };
  const free = leaseObject('hcn/test', live, undefined);
  assert.deepEqual(free.spec, { leaseTransitions: 3 });
  assert.equal(free.metadata.resourceVersion, '7');
  assert.equal(decodeHeld(free, 'hcn/test'), undefined);
});

test('a lease key names its service and environment', () => {
  assert.deepEqual(splitLeaseKey('hcn/pr-12'), { service: 'hcn', environment: 'pr-12' });
  assert.throws(() => splitLeaseKey('x'), StoreError);
});
