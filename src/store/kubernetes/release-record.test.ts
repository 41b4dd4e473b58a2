import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { FerryError } from '../../errors.ts';
import { StoreError } from '../errors.ts';
import { release } from '../driver-contract.ts';
import type { Release } from '../types.ts';
import {
  MAX_MESSAGE_CHARS,
  decodeRelease,
  decodeSummary,
  encodeBody,
  finishedSecret,
  releaseSecret,
} from './release-record.ts';

function stored(over: Partial<Release> = {}): Release {
  return {
    ...release({
      source: { commit: 'abc', pullRequest: 7 },
      sourceRelease: { service: 'hcn', environment: 'stage', id: 3 },
    }),
    id: 12,
    outcome: 'running',
    message: '',
    endedAt: undefined,
    ...over,
  };
}

test('a release round-trips through its Secret: summary in annotations, outcome a label, body gzipped', () => {
  const r = stored();
  const secret = releaseSecret(r, encodeBody(r));
  assert.equal(secret.metadata.name, 'ferry.release.hcn.test.v12');
  assert.equal(secret.metadata.labels?.['store.ferry.dev/outcome'], 'running');
  assert.equal(secret.metadata.labels?.['store.ferry.dev/id'], '12');
  const data = (secret.data as { release: string }).release;
  const body = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString()) as { objects: unknown[] };
  assert.equal(body.objects.length, 1);
  assert.deepEqual(decodeRelease(secret), r);
  const { objects: _o, migrateDown: _m, verification: _v, ...summary } = r;
  assert.deepEqual(decodeSummary(secret), summary);
});

test('finishing rewrites the state only, on the version read', () => {
  const r = stored();
  const live = releaseSecret(r, encodeBody(r));
  live.metadata.resourceVersion = '41';
  const done = finishedSecret(live, 'failed', 'boom', 99);
  assert.equal(done.metadata.resourceVersion, '41');
  assert.deepEqual(done.data, live.data);
  assert.deepEqual(decodeRelease(done), { ...r, outcome: 'failed', message: 'boom', endedAt: 99 });
  const long = finishedSecret(live, 'failed', 'x'.repeat(MAX_MESSAGE_CHARS + 10), 99);
  assert.ok(decodeSummary(long).message.endsWith('… (cut)'));
});

test('a body over 1 MiB compressed is refused with E_RELEASE_TOO_LARGE', () => {
  const noise = randomBytes(1100 * 1024).toString('base64');
  assert.throws(
    () =>
      encodeBody(
        stored({ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, data: noise }] }),
      ),
    (e: unknown) =>
      e instanceof FerryError && e.code === 'E_RELEASE_TOO_LARGE' && /KiB compressed/.test(e.message),
  );
});

test('a Secret of another type or with a broken body is a StoreError, never a wrong release', () => {
  const r = stored();
  const secret = releaseSecret(r, encodeBody(r));
  assert.throws(() => decodeRelease({ ...secret, type: 'helm.sh/release.v1' }), StoreError);
  assert.throws(() => decodeRelease({ ...secret, data: { release: 'bm90IGd6aXA=' } }), StoreError);
  const bad = {
    ...secret,
    metadata: { ...secret.metadata, labels: { 'store.ferry.dev/outcome': 'exploded' } },
  };
  assert.throws(() => decodeSummary(bad), StoreError);
});
