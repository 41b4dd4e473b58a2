import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelName, labelValue, objectName } from './names.ts';

const dns1123 = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

test('objectName keeps valid names and cleans the rest', () => {
  assert.equal(objectName('account-migrate-1.0.0'), 'account-migrate-1.0.0');
  assert.equal(objectName('Account_Migrate--V1+build.7'), 'account-migrate-v1-build.7');
  assert.equal(objectName('--x--'), 'x');
});

test('objectName shortens long names with a stable hash suffix, distinct per input', () => {
  const a = objectName(`svc-migrate-${'1'.repeat(80)}a`);
  const b = objectName(`svc-migrate-${'1'.repeat(80)}b`);
  assert.equal(a.length, 63);
  assert.match(a, dns1123);
  assert.notEqual(a, b);
  assert.equal(a, objectName(`svc-migrate-${'1'.repeat(80)}a`));
  assert.ok(objectName('x'.repeat(60), 52).length <= 52);
});

test('labelName has no dots', () => {
  assert.equal(labelName('a.b.c'), 'a-b-c');
});

test('labelValue accepts versions and cleans invalid characters', () => {
  assert.equal(labelValue('1.0.0'), '1.0.0');
  assert.equal(labelValue('1.0.0+build.5'), '1.0.0_build.5');
  assert.equal(labelValue('+x+'), 'x');
  const long = labelValue('v'.repeat(100));
  assert.equal(long.length, 63);
  assert.match(long, /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/);
});
