import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delayFor, withRetry } from './retry.ts';

test('delays grow exponentially up to the cap, with jitter in [exp/2, exp]', () => {
  const b = { attempts: 5, baseMs: 100, maxMs: 1000 };
  assert.equal(
    delayFor(0, b, () => 0),
    50,
  );
  assert.equal(
    delayFor(0, b, () => 1),
    100,
  );
  assert.equal(
    delayFor(3, b, () => 1),
    800,
  );
  assert.equal(
    delayFor(10, b, () => 1),
    1000,
  );
});

test('transient errors are retried, permanent ones are not', async () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  let calls = 0;
  const got = await withRetry(
    async () => {
      calls++;
      if (calls < 3) throw new Error('ECONNREFUSED');
      return 'ok';
    },
    () => true,
    { attempts: 5, baseMs: 10, maxMs: 100 },
    sleep,
  );
  assert.equal(got, 'ok');
  assert.equal(calls, 3);
  assert.equal(sleeps.length, 2);

  let permanent = 0;
  await assert.rejects(
    withRetry(
      async () => {
        permanent++;
        throw new Error('forbidden');
      },
      () => false,
      { attempts: 5, baseMs: 10, maxMs: 100 },
      sleep,
    ),
    /forbidden/,
  );
  assert.equal(permanent, 1);

  let always = 0;
  await assert.rejects(
    withRetry(
      async () => {
        always++;
        throw new Error('down');
      },
      () => true,
      { attempts: 3, baseMs: 1, maxMs: 1 },
      sleep,
    ),
    /down/,
  );
  assert.equal(always, 3);
});
