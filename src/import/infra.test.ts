import assert from 'node:assert/strict';
import { test } from 'node:test';
import { infraNote, wellKnown } from './infra.ts';

test('well-known images by their last path segment, with the feature that fits', () => {
  assert.equal(wellKnown('postgres:16-alpine')?.feature, 'postgres');
  assert.equal(wellKnown('docker.io/bitnami/postgresql:15')?.port, 5432);
  assert.equal(wellKnown('mariadb')?.feature, 'mysql');
  assert.equal(wellKnown('confluentinc/cp-kafka:7.6.0')?.feature, 'kafka');
  assert.equal(wellKnown('registry.example.com/shop/api'), undefined);
  assert.match(infraNote(wellKnown('redis:7')!), /features\.redis/);
  assert.match(infraNote(wellKnown('zookeeper')!), /no ferry feature/);
});
