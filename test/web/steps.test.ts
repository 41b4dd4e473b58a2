// The release page's merge of the last read with the streamed step events (web/src/steps.ts):
// events that arrive before the read, or that skip steps the page never saw, leave no holes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSteps, stepOf } from '../../web/src/steps.ts';
import type { Step } from '../../web/src/types.ts';

const at = Date.parse('2026-01-01T00:00:00Z');
const step = (seq: number, name: string, outcome: string, message = '') =>
  stepOf({
    seq,
    name,
    outcome,
    message,
    startedAt: at + seq,
    ...(outcome !== 'running' ? { endedAt: at + seq + 5 } : {}),
  });

test('events for steps 3 and 4 before any read: only those two, no holes', () => {
  const streamed = new Map<number, Step>([
    [3, step(3, 'preflight', 'succeeded')],
    [4, step(4, 'provision', 'running')],
  ]);
  const out = mergeSteps([], streamed);
  assert.deepEqual(
    out.map((s) => `${s.name}:${s.outcome}`),
    ['preflight:succeeded', 'provision:running'],
  );
});

test('the read fills the steps the stream never carried; an ended step wins over a running one', () => {
  const read = [step(1, 'plan', 'succeeded'), step(2, 'lock', 'succeeded'), step(3, 'preflight', 'running')];
  const streamed = new Map<number, Step>([
    [3, step(3, 'preflight', 'succeeded', 'accepted')],
    [5, step(5, 'migrate', 'running')],
  ]);
  assert.deepEqual(
    mergeSteps(read, streamed).map((s) => `${s.name}:${s.outcome}`),
    ['plan:succeeded', 'lock:succeeded', 'preflight:succeeded', 'migrate:running'],
  );
  // a later read that has ended what the stream last saw running keeps the read's outcome
  const later = [
    ...read.slice(0, 2),
    step(3, 'preflight', 'succeeded'),
    step(4, 'provision', 'succeeded'),
    step(5, 'migrate', 'failed', 'boom'),
  ];
  const merged = mergeSteps(later, streamed);
  assert.equal(merged.length, 5);
  assert.deepEqual(merged[4], later[4]);
  assert.equal(merged[2]!.ms, 5);
});

test('between two running views the streamed one (the newest progress) is shown', () => {
  const read = [step(1, 'track', 'running', '0/1 ready')];
  const streamed = new Map<number, Step>([[1, step(1, 'track', 'running', '1/2 ready')]]);
  assert.equal(mergeSteps(read, streamed)[0]!.message, '1/2 ready');
});
