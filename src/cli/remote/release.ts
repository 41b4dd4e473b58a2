// A deploy or rollback through the team server: queue the request, follow it on the event stream
// (the same step lines as a local run), and answer with the release the server made, in the
// shape a local run prints. Ctrl-C asks the server to cancel the request (a running one ends
// cancelled and reverted, as a local Ctrl-C does); a second Ctrl-C stops following and leaves it
// to the server.
import { ERROR_CODES, FerryError, type ErrorCode } from '../../errors.ts';
import type { ReleaseReport, ReleaseView, StepView } from '../../engine/views.ts';
import type { Printer } from '../output.ts';
import { cliIo } from '../io.ts';
import { seconds } from '../commands/release-common.ts';
import type { ApiClient, StreamEvent } from './client.ts';

export interface RequestView {
  id: number;
  kind: string;
  service: string;
  environment: string;
  state: string;
  message?: string | undefined;
  release?: { service: string; environment: string; id: number } | undefined;
  approvalsNeeded?: number;
  approvedBy?: string[];
  payload?: Record<string, unknown>;
  batch?: number | undefined;
  waitsFor?: number[];
  notStarted?: { reason: 'dependency' | 'stopped'; blockedBy: number } | undefined;
}

export interface StepData {
  name: string;
  outcome: string;
  message: string;
  startedAt: number;
  endedAt?: number;
}

const mark: Record<string, string> = { succeeded: '✓', failed: '✗', skipped: '–', cancelled: '!' };
export const FINAL = new Set(['succeeded', 'failed', 'rejected', 'cancelled']);

/** The report of a finished release, from its stored view (what a local run returns). */
export function reportOf(view: ReleaseView, previousVersion: string | undefined): ReleaseReport {
  const failed = view.steps.find((s: StepView) => s.outcome === 'failed' || s.outcome === 'cancelled');
  return {
    ...view,
    outcome: view.outcome === 'running' ? 'interrupted' : view.outcome,
    failedStep: failed?.name,
    previousVersion,
    reverted: view.steps.some((s) => s.name === 'revert' && s.outcome === 'succeeded'),
  };
}

/** A request the server refused after queueing it ("E_CODE: message") as the error it was. */
function rejection(r: RequestView): FerryError {
  const m = /^(E_[A-Z_]+): ([\s\S]*)$/.exec(r.message ?? '');
  const code = m && m[1]! in ERROR_CODES ? (m[1] as ErrorCode) : 'E_RELEASE_FAILED';
  return new FerryError(code, m ? m[2]! : (r.message ?? `request ${r.id} was ${r.state}`));
}

/** A step's progress line; `prefix` names the service when several run side by side. */
export function stepLine(printer: Printer, type: string, step: StepData, prefix = ''): void {
  const s = printer.style;
  if (type === 'step.progress') printer.progress(`${prefix}    ${step.name}: ${step.message}`, true);
  if (type !== 'step.ended') return;
  const colour = step.outcome === 'succeeded' ? s.green : step.outcome === 'skipped' ? s.dim : s.red;
  const ms = (step.endedAt ?? step.startedAt) - step.startedAt;
  printer.progress(
    `${prefix}  ${colour(mark[step.outcome] ?? '?')} ${step.name.padEnd(12)} ${seconds(ms).padStart(6)}  ${step.message}`,
    true,
  );
}

/**
 * Queues one request (`post`: the route and body) and follows it to its end. Answers the release's
 * report, or throws what refused the request.
 */
export async function runRemoteRequest(
  client: ApiClient,
  post: { path: string; body: Record<string, unknown> },
  printer: Printer,
): Promise<ReleaseReport> {
  const io = cliIo();
  const stop = new AbortController();
  let request: RequestView | undefined;
  let releaseId: number | undefined;
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1 && request) {
      printer.note(`interrupted: asking the server to cancel request ${request.id}`);
      void client.call('POST', `/api/v1/requests/${request.id}/cancel`, {}).catch(() => undefined);
    } else {
      printer.note(
        request ? `stopped following request ${request.id}; the server goes on with it` : 'interrupted',
      );
      stop.abort();
    }
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) io.signals.on(s, onSignal);
  let finished: RequestView | undefined;
  try {
    await client.events(
      undefined,
      (e: StreamEvent) => {
        if (!request) return false;
        const r = e.data.request as RequestView | undefined;
        if (r && r.id === request.id) {
          if (e.type === 'request.started') printer.progress(`request ${r.id} started`, true);
          if (e.type === 'request.updated' && r.state === 'approval')
            printer.progress(`request ${r.id} waits for approval`, true);
          if (e.type === 'request.finished' || FINAL.has(r.state)) {
            finished = r;
            return true;
          }
          return false;
        }
        if (e.type === 'release.started') {
          const rel = e.data.release as ReleaseView | undefined;
          if (rel && rel.service === request.service && rel.environment === request.environment) {
            releaseId = rel.id;
            printer.progress(
              printer.style.bold(
                `release ${rel.id}: ${rel.kind} ${rel.service} ${rel.version} → ${rel.environment}`,
              ),
              true,
            );
          }
          return false;
        }
        const key = e.data.release as { service: string; environment: string; id: number } | undefined;
        const step = e.data.step as StepData | undefined;
        if (step && key && key.id === releaseId && key.service === request.service)
          stepLine(printer, e.type, step);
        return false;
      },
      stop.signal,
      async () => {
        request = await client.call<RequestView>('POST', post.path, post.body);
        printer.progress(
          request.state === 'approval'
            ? `request ${request.id} queued: waits for ${request.approvalsNeeded ?? 1} approval(s) (POST /api/v1/requests/${request.id}/approve)`
            : `request ${request.id} queued on ${client.url}`,
          true,
        );
      },
    );
  } finally {
    for (const s of signals) io.signals.off(s, onSignal);
    stop.abort();
  }
  if (!finished) {
    if (!request) throw new FerryError('E_CANCELLED', 'interrupted before the request was queued');
    throw new FerryError('E_CANCELLED', `stopped following request ${request.id}; it goes on on the server`);
  }
  return finishedReport(client, await client.call<RequestView>('GET', `/api/v1/requests/${finished.id}`));
}

/** The report of the release a finished request made, or what refused or cancelled it. */
export async function finishedReport(client: ApiClient, r: RequestView): Promise<ReleaseReport> {
  if (!r.release) {
    if (r.state === 'cancelled')
      throw new FerryError('E_CANCELLED', r.message ?? `request ${r.id} cancelled`);
    throw rejection(r);
  }
  const { release } = await client.call<{ release: ReleaseView }>(
    'GET',
    `/api/v1/releases/${encodeURIComponent(r.release.service)}/${encodeURIComponent(r.release.environment)}/${r.release.id}`,
  );
  const before = await client.call<{ releases: ReleaseView[] }>(
    'GET',
    `/api/v1/releases?service=${encodeURIComponent(release.service)}&environment=${encodeURIComponent(release.environment)}&outcome=succeeded&before=${release.id}&limit=1`,
  );
  return reportOf(release, before.releases[0]?.version);
}
