import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FerryError } from '../../errors.ts';
import { parseSince } from './since.ts';

test('window lengths in minutes, hours, days and weeks', () => {
  assert.deepEqual(
    ['90m', '12h', '30d', '2w'].map((s) => parseSince(s, 'since')),
    [5_400_000, 43_200_000, 2_592_000_000, 1_209_600_000],
  );
});

test('a window that is not a whole positive count of a unit is refused, naming where', () => {
  for (const bad of ['30', '0d', '1.5d', 'd', '3y', '']) {
    assert.throws(
      () => parseSince(bad, '--since'),
      (e: unknown) => e instanceof FerryError && e.code === 'E_DURATION' && e.message.startsWith('--since:'),
    );
  }
});
