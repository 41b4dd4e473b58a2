// verify and observe: what proves a release works after its rollout. Check Jobs and HTTP checks
// run in order; then, for the environment's observation window, any pod of the new template that
// loses readiness, restarts or fails fails the release (and so brings the revert).
import type { KObject } from '../../cluster/types.ts';
import type { Verification } from '../../store/types.ts';
import { jobTimeoutMs, runJob } from '../jobs.ts';
import { observe } from '../observe.ts';
import { RolloutFailedError } from '../watch.ts';
import type { ReleaseContext } from './run.ts';

async function httpCheck(c: Verification['http'][number], signal: AbortSignal): Promise<string> {
  const res = await fetch(c.url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(c.timeoutSeconds * 1000)]),
  });
  await res.arrayBuffer();
  if (res.status !== c.expect)
    throw new RolloutFailedError(
      `check ${c.name}: GET ${c.url} answered ${res.status}, expected ${c.expect}`,
    );
  return `check ${c.name}: ${res.status}`;
}

export async function verifyStep(ctx: ReleaseContext, v: Verification): Promise<void> {
  if (v.jobs.length === 0 && v.http.length === 0) {
    await ctx.steps.skip('verify', 'no checks declared');
    return;
  }
  await ctx.steps.run('verify', async (s) => {
    const out: string[] = [];
    for (const job of v.jobs) {
      out.push(
        await runJob(ctx.cluster, ctx.target.namespace, job as KObject, {
          what: `check Job/${job.metadata.name}`,
          timeoutMs: jobTimeoutMs(job as KObject),
          signal: ctx.signal,
          hardSignal: ctx.hardSignal,
          onProgress: s.progress,
          onCancel: 'stop',
        }),
      );
    }
    for (const c of v.http) out.push(await httpCheck(c, ctx.signal));
    return out.join('; ');
  });
}

export async function observeStep(
  ctx: ReleaseContext,
  live: readonly KObject[],
  seconds: number,
): Promise<void> {
  if (seconds <= 0) {
    await ctx.steps.skip('observe', `no observation window for ${ctx.target.environment}`);
    return;
  }
  await ctx.steps.run('observe', async (s) =>
    observe(ctx.cluster, ctx.target.namespace, ctx.target.service, ctx.target.environment, live, {
      what: 'observation',
      timeoutMs: seconds * 1000,
      signal: ctx.signal,
      onProgress: s.progress,
    }),
  );
}
