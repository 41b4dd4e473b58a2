// Running one claimed request: the project at the request's ref, then the engine's action for its
// kind — the very actions the CLI runs — as the token that asked for it. The outcome is the
// release's; a request the engine refuses before a release exists ends `rejected` with why.
import { AutoDeploy } from '../../engine/actions/autodeploy.ts';
import { Deploy } from '../../engine/actions/deploy.ts';
import { Promote } from '../../engine/actions/promote.ts';
import { splitVersion } from '../../engine/autodeploy/policy.ts';
import { Rollback } from '../../engine/actions/rollback.ts';
import { runContext } from '../../engine/context.ts';
import type { ProgressEvent } from '../../engine/progress.ts';
import type { ReleaseReport } from '../../engine/views.ts';
import { FerryError } from '../../errors.ts';
import type { QueuedRequest, RequestState } from '../../store/server-types.ts';
import type { ReleaseKey } from '../../store/types.ts';
import type { ServerContext } from '../context.ts';
import { runPreview } from '../previews/run.ts';

export interface RunSignals {
  signal: AbortSignal;
  hardSignal: AbortSignal;
}

export interface RequestOutcome {
  state: RequestState;
  message: string;
  report: ReleaseReport | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function runRequest(
  ctx: ServerContext,
  r: QueuedRequest,
  signals: RunSignals,
  onRelease: (key: ReleaseKey) => void,
): Promise<RequestOutcome> {
  const run = runContext({
    actor: r.requestedBy,
    signal: signals.signal,
    hardSignal: signals.hardSignal,
    onEvent: (e: ProgressEvent) => {
      if (e.type === 'release')
        onRelease({ service: e.service, environment: e.environment, id: e.releaseId });
    },
  });
  try {
    const ref = str(r.payload.ref);
    const project = await ctx.project.load(ref);
    const confirmed = r.payload.confirm === true;
    let report: ReleaseReport;
    if (r.kind === 'deploy' && r.payload.autoDeploy !== undefined) {
      // the policy is asked again when the request runs: a rollback or a failure since it was
      // queued pauses it, and what runs may have moved on
      const d = await new AutoDeploy(ctx.engine, project.app).decideFor(
        { service: r.service, environment: r.environment },
        splitVersion(str(r.payload.version) ?? ''),
      );
      if (!d.deploy) return { state: 'rejected', message: `auto-deploy: ${d.why}`, report: undefined };
    }
    if (r.kind === 'promote') {
      const src = r.payload.sourceRelease as
        { service?: unknown; environment?: unknown; id?: unknown } | undefined;
      report = await new Promote(ctx.engine, project.app).runPinned(
        {
          source: {
            service: String(src?.service),
            environment: String(src?.environment),
            id: Number(src?.id),
          },
          to: r.environment,
          confirmed,
          waitLockMs: ctx.settings.waitLockMs,
          podLabels: ctx.settings.podLabels,
        },
        run,
      );
    } else if (r.kind === 'deploy') {
      report = await new Deploy(ctx.engine, project.app).run(
        {
          service: r.service,
          environment: r.environment,
          version: str(r.payload.version) ?? '',
          confirmed,
          podLabels: ctx.settings.podLabels,
          // the queue keeps one request per pair at a time; a CLI deploy may still hold the lock
          waitLockMs: ctx.settings.waitLockMs,
          source: {
            ...(project.commit ? { commit: project.commit } : {}),
            ...(ref ? { ref } : {}),
          },
        },
        run,
      );
    } else if (r.kind === 'rollback') {
      const to = typeof r.payload.to === 'number' ? r.payload.to : undefined;
      report = await new Rollback(ctx.engine, project.app).run(
        {
          service: r.service,
          environment: r.environment,
          ...(to !== undefined ? { to } : {}),
          migrateDown: r.payload.migrateDown === true,
          verify: r.payload.verify === true,
          confirmed,
          waitLockMs: ctx.settings.waitLockMs,
        },
        run,
      );
    } else if (r.kind === 'preview') {
      return { ...(await runPreview(ctx, r, project.app, run)), report: undefined };
    } else {
      return {
        state: 'rejected',
        message: `requests of kind ${r.kind} are not run by this server yet`,
        report: undefined,
      };
    }
    return {
      state: report.outcome === 'interrupted' ? 'failed' : report.outcome,
      message: report.message,
      report,
    };
  } catch (e) {
    if (e instanceof FerryError && e.kind === 'cancelled')
      return { state: 'cancelled', message: e.message, report: undefined };
    if (e instanceof FerryError)
      return { state: 'rejected', message: `${e.code}: ${e.message}`, report: undefined };
    ctx.log.error(
      { request: r.id, error: e instanceof Error ? e.message : String(e) },
      'a request failed unexpectedly',
    );
    return { state: 'failed', message: 'internal error: see the server log', report: undefined };
  }
}
