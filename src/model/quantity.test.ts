import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FerryError } from '../errors.ts';
import { formatCpu, formatMemory, parseCpu, parseMemory } from './quantity.ts';

test('parseCpu: cores and millicores', () => {
  const table: [string | number, number][] = [
    ['500m', 500],
    ['0.5', 500],
    [0.5, 500],
    ['2', 2000],
    [2, 2000],
    ['1.25', 1250],
    ['0.001', 1],
    ['1500m', 1500],
  ];
  for (const [input, millis] of table) assert.equal(parseCpu(input), millis, String(input));
});

test('parseCpu refuses what Kubernetes would round or reject', () => {
  for (const bad of ['0.0005', '0', '0m', 'abc', '-1', '1.5m', '']) {
    assert.throws(
      () => parseCpu(bad),
      (e: unknown) => e instanceof FerryError && e.code === 'E_QUANTITY',
      bad,
    );
  }
});

test('formatCpu: whole cores without unit, else millicores', () => {
  assert.equal(formatCpu(500), '500m');
  assert.equal(formatCpu(2000), '2');
  assert.equal(formatCpu(1500), '1500m');
  assert.throws(() => formatCpu(0), RangeError);
});

test('parseMemory: binary and decimal units, exactly', () => {
  const table: [string, number][] = [
    ['512Mi', 512 * 1024 ** 2],
    ['1Gi', 1024 ** 3],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['256M', 256e6],
    ['1k', 1000],
    ['64Ki', 65536],
    ['2Ti', 2 * 1024 ** 4],
  ];
  for (const [input, bytes] of table) assert.equal(parseMemory(input), bytes, input);
});

test('parseMemory: bare numbers and Docker units get a hint', () => {
  assert.throws(
    () => parseMemory('512'),
    (e: unknown) => e instanceof FerryError && /512Mi/.test(e.hint ?? ''),
  );
  assert.throws(
    () => parseMemory('512m'),
    (e: unknown) => e instanceof FerryError && /512Mi/.test(e.hint ?? ''),
  );
  assert.throws(() => parseMemory('0.1'), FerryError);
  assert.equal(
    parseMemory('536870912'),
    512 * 1024 ** 2,
    'bare bytes from 1Mi up, as Kubernetes writes them',
  );
  assert.throws(() => parseMemory('0Mi'), FerryError);
});

test('formatMemory: the largest exact unit', () => {
  assert.equal(formatMemory(512 * 1024 ** 2), '512Mi');
  assert.equal(formatMemory(1024 ** 3), '1Gi');
  assert.equal(formatMemory(1.5 * 1024 ** 3), '1536Mi');
  assert.equal(formatMemory(256e6), '250000Ki');
  assert.equal(formatMemory(1000), '1k');
  assert.equal(formatMemory(1001), '1001');
});

test('property: parse(format(x)) === x', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
      assert.equal(parseCpu(formatCpu(n)), n);
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1024 ** 2, max: Number.MAX_SAFE_INTEGER }), (n) => {
      assert.equal(parseMemory(formatMemory(n)), n);
    }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 20 }),
      fc.constantFrom('Ki', 'Mi', 'Gi', 'k', 'M', 'G'),
      (n, unit) => {
        assert.equal(parseMemory(formatMemory(parseMemory(`${n}${unit}`))), parseMemory(`${n}${unit}`));
      },
    ),
  );
});
