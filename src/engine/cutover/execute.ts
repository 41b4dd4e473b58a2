// Running one plan step against the cluster: apply the traffic objects of the new state, run the
// team's commands and checks, wait for the new services, and for a weight the observation window
// and the checks after it. A failing check (or a blocking pitfall) after a weight puts the weight
// before it back, recorded as a `revert` step, and fails the weight step.
import type { Cluster } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';
import type { CutoverCheck, CutoverPlan, CutoverStep, UserAction } from '../../model/cutover.ts';
import type { Command } from '../../model/types.ts';
import { renderCutover, type TrafficState } from '../../render/cutover/index.ts';
import { apply } from './machine.ts';
import { certificate, forwardedFor, type Pitfall } from './pitfalls.ts';
import { httpGet, runCommand, sleep } from './probes.ts';

export interface StepContext {
  plan: CutoverPlan;
  cluster: Cluster;
  /** the folder commands run in (the platform file's) */
  cwd: string;
  signal: AbortSignal;
  progress: (message: string) => void;
  /** records the weight going back (a `revert` step) */
  revert: (to: TrafficState, why: string) => Promise<void>;
}

/** A step that ran and said no: recorded failed, the runbook stops there. */
export class StepFailed extends FerryError {
  constructor(message: string) {
    super('E_CUTOVER_STEP', message, { hint: 'fix what it names, then continue the cut-over, or abort it' });
  }
}

export async function applyState(plan: CutoverPlan, cluster: Cluster, state: TrafficState): Promise<number> {
  const objects = renderCutover(plan, state);
  for (const o of objects) await cluster.apply(o);
  return objects.length;
}

function describeState(s: TrafficState): string {
  return s.maintenance ? 'maintenance page' : `${s.weight} % new, ${100 - s.weight} % old`;
}

async function command(c: Command, what: string, timeoutSeconds: number, ctx: StepContext): Promise<string> {
  ctx.progress(`${what}: running`);
  const r = await runCommand(c, { cwd: ctx.cwd, timeoutMs: timeoutSeconds * 1000, signal: ctx.signal });
  if (ctx.signal.aborted) throw ctx.signal.reason as Error;
  const tail = r.output ? `: ${r.output.split('\n').slice(-3).join(' | ')}` : '';
  if (r.timedOut) throw new StepFailed(`${what}: did not finish within ${timeoutSeconds} s${tail}`);
  if (r.code !== 0) throw new StepFailed(`${what}: exited ${r.code}${tail}`);
  return `${what}: exit 0`;
}

/** Runs a check once: undefined when it passed, else why not. */
async function probe(c: CutoverCheck, ctx: StepContext): Promise<string | undefined> {
  if (c.probe.kind === 'command') {
    const r = await runCommand(c.probe.command, {
      cwd: ctx.cwd,
      timeoutMs: c.timeoutSeconds * 1000,
      signal: ctx.signal,
    });
    if (ctx.signal.aborted) throw ctx.signal.reason as Error;
    return r.code === 0
      ? undefined
      : `check ${c.name}: ${r.timedOut ? 'timed out' : `exited ${r.code}`}${r.output ? `: ${r.output.slice(-200)}` : ''}`;
  }
  try {
    const a = await httpGet(c.probe.url, {
      via: ctx.plan.checkVia,
      timeoutMs: c.timeoutSeconds * 1000,
      signal: ctx.signal,
    });
    return a.status === c.probe.expect
      ? undefined
      : `check ${c.name}: GET ${c.probe.url} answered ${a.status}, expected ${c.probe.expect}`;
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    return `check ${c.name}: GET ${c.probe.url}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Retries the check every 5 s until it passes or its step's time is up. */
async function until(c: CutoverCheck, timeoutSeconds: number, ctx: StepContext): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (let n = 1; ; n++) {
    const why = await probe(c, ctx);
    if (why === undefined) return `check ${c.name}: passed${n > 1 ? ` after ${n} tries` : ''}`;
    if (Date.now() + 5000 > deadline) throw new StepFailed(`${why} (for ${timeoutSeconds} s)`);
    ctx.progress(why);
    await sleep(5000, ctx.signal);
  }
}

async function userAction(a: UserAction, ctx: StepContext, confirmedBy: string | undefined): Promise<string> {
  const out: string[] = [];
  if (a.confirm) out.push(`confirmed by ${confirmedBy ?? 'unknown'}: ${a.confirm}`);
  if (a.command) out.push(await command(a.command, a.label, a.timeoutSeconds, ctx));
  if (a.check) out.push(await until(a.check, a.timeoutSeconds, ctx));
  return out.join('; ');
}

async function servicesOn(ctx: StepContext, c: Command | undefined): Promise<string> {
  const ns = ctx.plan.environment.namespace;
  const deadline = Date.now() + 120_000;
  const ready: string[] = [];
  for (const s of ctx.plan.services) {
    for (;;) {
      const d = await ctx.cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: s.serviceName,
        namespace: ns,
      });
      if (!d)
        throw new StepFailed(`${s.service} is not deployed in ${ns}: deploy it before its traffic moves`);
      const want = Number((d.spec as { replicas?: number } | undefined)?.replicas ?? 1);
      const have = Number((d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0);
      if (want > 0 && have >= want) {
        ready.push(`${s.service} ${have}/${want} ready`);
        break;
      }
      if (Date.now() > deadline)
        throw new StepFailed(
          `${s.service}: ${have}/${want} ready after 120 s${want === 0 ? ' (scaled to 0)' : ''}`,
        );
      ctx.progress(`${s.service}: ${have}/${want} ready`);
      await sleep(2000, ctx.signal);
    }
  }
  if (c) ready.push(await command(c, 'services command', 600, ctx));
  return ready.join('; ');
}

/** The pitfalls that can be checked once traffic flows: the certificate always, the client address when the new platform takes requests. */
export async function livePitfalls(
  plan: CutoverPlan,
  cluster: Cluster,
  state: TrafficState,
  signal: AbortSignal,
): Promise<Pitfall[]> {
  const out = [await certificate(plan, cluster)];
  if (!state.maintenance && state.weight > 0) out.push(await forwardedFor(plan, signal));
  return out;
}

async function weight(
  s: Extract<CutoverStep, { kind: 'weight' }>,
  before: TrafficState,
  ctx: StepContext,
): Promise<string> {
  const after = apply(before, s);
  await applyState(ctx.plan, ctx.cluster, after);
  ctx.progress(`${describeState(after)} applied`);
  try {
    if (s.observeSeconds > 0) {
      ctx.progress(`observing for ${s.observeSeconds} s`);
      await sleep(s.observeSeconds * 1000, ctx.signal);
    }
    const failures: string[] = [];
    for (const c of ctx.plan.checks) {
      const why = await probe(c, ctx);
      if (why) failures.push(why);
    }
    for (const p of await livePitfalls(ctx.plan, ctx.cluster, after, ctx.signal))
      if (p.level === 'blocking') failures.push(p.message);
    if (failures.length > 0) {
      await ctx.revert(before, failures.join('; '));
      throw new StepFailed(`${failures.join('; ')}; the weight went back to ${before.weight} %`);
    }
  } catch (e) {
    if (ctx.signal.aborted && !(e instanceof StepFailed)) await ctx.revert(before, 'the run was stopped');
    throw e;
  }
  return `${describeState(after)}; ${ctx.plan.checks.length} check${ctx.plan.checks.length === 1 ? '' : 's'} passed`;
}

/** Runs plan step `s` from traffic state `before`; returns the step's message. */
export async function executeStep(
  s: CutoverStep,
  before: TrafficState,
  ctx: StepContext,
  confirmedBy: string | undefined,
): Promise<string> {
  switch (s.kind) {
    case 'maintenance': {
      const after = apply(before, s);
      const n = await applyState(ctx.plan, ctx.cluster, after);
      const notes = (await livePitfalls(ctx.plan, ctx.cluster, after, ctx.signal)).filter(
        (p) => p.level !== 'ok',
      );
      return [
        `${describeState(after)} (${n} objects applied)`,
        ...notes.map((p) => `${p.level}: ${p.message}`),
      ].join('; ');
    }
    case 'drain':
    case 'run':
      return userAction(s.action, ctx, confirmedBy);
    case 'services':
      return servicesOn(ctx, s.command);
    case 'weight':
      return weight(s, before, ctx);
  }
}
