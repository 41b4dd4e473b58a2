import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FerryError } from '../errors.ts';
import { formatDuration, parseDuration, parseDurationSeconds } from './duration.ts';

test('parseDuration', () => {
  const table: [string, number][] = [
    ['500ms', 0.5],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172800],
    ['1.5h', 5400],
    ['0s', 0],
  ];
  for (const [text, s] of table) assert.equal(parseDuration(text), s, text);
  assert.equal(parseDurationSeconds('1500ms'), 2);
});

test('parseDuration refuses anything else', () => {
  for (const bad of ['', '5', 'm', '5x', '1h 30m', '-1s']) {
    assert.throws(
      () => parseDuration(bad),
      (e: unknown) => e instanceof FerryError && e.code === 'E_DURATION',
      bad,
    );
  }
});

test('formatDuration', () => {
  assert.equal(formatDuration(5400), '1h30m');
  assert.equal(formatDuration(0.5), '500ms');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(90061), '1d1h1m1s');
});

test('property: parse(format(ms)) round-trips', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10 ** 10 }), (ms) => {
      assert.equal(parseDuration(formatDuration(ms / 1000)), ms / 1000);
    }),
  );
});
