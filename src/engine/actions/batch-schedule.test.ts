import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../../errors.ts';
import { dependenciesOf, runBatch, startOrder, type BatchJob } from './batch-schedule.ts';

const job = (service: string, ...after: string[]): BatchJob => ({ service, after });

/** Runs jobs that each take `ms[service]` (default 5 ms), logging starts and ends. */
async function simulate(
  jobs: BatchJob[],
  parallel: number,
  fail: readonly string[] = [],
  ms: Record<string, number> = {},
) {
  const log: string[] = [];
  let now = 0;
  let peak = 0;
  const outcome = await runBatch(jobs, {
    parallel,
    start: async (i) => {
      const s = jobs[i]!.service;
      now++;
      peak = Math.max(peak, now);
      log.push(`start ${s}`);
      await new Promise((r) => setTimeout(r, ms[s] ?? 5));
      log.push(`end ${s}`);
      now--;
      return fail.includes(s) ? 'failed' : 'succeeded';
    },
    succeeded: (r) => r === 'succeeded',
  });
  return { log, peak, outcome };
}

test('independent jobs run up to the limit at once, in the order given', async () => {
  const jobs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((s) => job(s));
  const { log, peak, outcome } = await simulate(jobs, 3);
  assert.equal(peak, 3);
  assert.deepEqual(log.filter((l) => l.startsWith('start')).slice(0, 3), ['start a', 'start b', 'start c']);
  assert.deepEqual(
    outcome.results.map((r) => r.index),
    [0, 1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(outcome.notStarted, []);
});

test('parallel 1 runs one after the other', async () => {
  const { log, peak } = await simulate([job('a'), job('b')], 1);
  assert.equal(peak, 1);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
});

test('a dependant starts only after each job it comes after has ended', async () => {
  const jobs = [job('web', 'api', 'schema'), job('api', 'schema'), job('schema'), job('docs')];
  const { log } = await simulate(jobs, 4, [], { schema: 20, api: 10 });
  const at = (l: string) => log.indexOf(l);
  assert.ok(at('start api') > at('end schema'), log.join(', '));
  assert.ok(at('start web') > at('end api'), log.join(', '));
  assert.ok(at('start docs') < at('end schema'), 'docs needs nothing: it starts at once');
});

test('names outside the batch are ignored; the same service twice keeps its order', async () => {
  const { log } = await simulate([job('api', 'schema'), job('api'), job('web')], 4, [], { api: 10 });
  assert.deepEqual(log.slice(0, 2), ['start api', 'start web']);
  assert.ok(log.indexOf('start api', 1) > log.indexOf('end api'));
});

test('a failure starts nothing new; running jobs finish; dependants are not started', async () => {
  const jobs = [job('schema'), job('slow'), job('api', 'schema'), job('web', 'api'), job('docs'), job('z')];
  const { log, outcome } = await simulate(jobs, 2, ['schema'], { schema: 5, slow: 30 });
  assert.ok(log.includes('end slow'), 'the running job finished');
  assert.deepEqual(
    outcome.results.map((r) => [jobs[r.index]!.service, r.result]),
    [
      ['schema', 'failed'],
      ['slow', 'succeeded'],
    ],
  );
  assert.deepEqual(outcome.notStarted, [
    { index: 2, reason: 'dependency', blockedBy: 'schema' },
    { index: 3, reason: 'dependency', blockedBy: 'schema' },
    { index: 4, reason: 'stopped' },
    { index: 5, reason: 'stopped' },
  ]);
});

test('a stopped run starts nothing new', async () => {
  let started = 0;
  const outcome = await runBatch([job('a'), job('b'), job('c')], {
    parallel: 1,
    start: async () => ++started,
    succeeded: () => true,
    stopped: () => started >= 1,
  });
  assert.equal(started, 1);
  assert.deepEqual(
    outcome.notStarted.map((n) => n.reason),
    ['stopped', 'stopped'],
  );
});

test('a job that throws stops new starts, lets the others finish, then the error is raised', async () => {
  const ended: string[] = [];
  await assert.rejects(
    runBatch([job('a'), job('b'), job('c')], {
      parallel: 2,
      start: async (i) => {
        if (i === 0) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 10));
        ended.push(String(i));
        return true;
      },
      succeeded: () => true,
    }),
    /boom/,
  );
  assert.deepEqual(ended, ['1']);
});

test('a cycle among the batch is refused before anything starts, naming it', async () => {
  let started = 0;
  await assert.rejects(
    runBatch([job('a', 'b'), job('b', 'c'), job('c', 'a')], {
      parallel: 4,
      start: async () => ++started,
      succeeded: () => true,
    }),
    (e: unknown) => e instanceof FerryError && e.code === 'E_AFTER_CYCLE' && /a → b → c → a/.test(e.message),
  );
  assert.equal(started, 0);
  assert.deepEqual(dependenciesOf([job('a', 'b'), job('b')]), [[1], []]);
});

test('a limit below 1 is refused', async () => {
  await assert.rejects(
    runBatch([job('a')], { parallel: 0, start: async () => 1, succeeded: () => true }),
    /parallel/,
  );
});

test('startOrder puts every job after those it waits for, otherwise in the order given', () => {
  const jobs: BatchJob[] = [
    { service: 'web', after: ['api'] },
    { service: 'api', after: ['schema'] },
    { service: 'docs', after: [] },
    { service: 'schema', after: [] },
  ];
  assert.deepEqual(
    startOrder(dependenciesOf(jobs)).map((i) => jobs[i]!.service),
    ['docs', 'schema', 'api', 'web'],
  );
  assert.deepEqual(startOrder([[], [], []]), [0, 1, 2]);
});
