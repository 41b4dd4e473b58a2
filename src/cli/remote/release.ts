// A deploy, rollback or promotion through the team server: queue the request (a promotion: one
// per service), follow it on the event stream (the same step lines as a local run), and answer
// with the release the server made, in the shape a local run prints. Ctrl-C asks the server to cancel the request (a running one ends
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
  const { reports } = await runRemoteRequests<RequestView>(client, post, printer, (r) => [r]);
  return reports[0]!;
}

/** The pair of a request or release. */
const pairOf = (x: { service: string; environment: string }) => `${x.service}\u0000${x.environment}`;

/**
 * Queues what `post` asks for — the requests `requestsOf` finds in its answer (one per service
 * of a promotion) — and follows them all on one event stream to their ends, the step lines of
 * each (prefixed with the service when there are several). Answers the POST's answer and the
 * release report of each request, in their order; throws what refused one that made no release.
 * Ctrl-C asks the server to cancel them; a second stops following.
 */
export async function runRemoteRequests<A>(
  client: ApiClient,
  post: { path: string; body: Record<string, unknown> },
  printer: Printer,
  requestsOf: (answer: A) => RequestView[],
): Promise<{ answer: A | undefined; reports: ReleaseReport[] }> {
  const io = cliIo();
  const stop = new AbortController();
  let answer: A | undefined;
  let requests: RequestView[] | undefined;
  const pending = new Map<number, RequestView>();
  const releaseOf = new Map<string, number>();
  let prefix: (text: string, service?: string) => string = (text) => text;
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1 && pending.size > 0) {
      for (const r of pending.values()) {
        printer.note(`interrupted: asking the server to cancel request ${r.id}`);
        void client.call('POST', `/api/v1/requests/${r.id}/cancel`, {}).catch(() => undefined);
      }
    } else {
      printer.note(
        pending.size > 0
          ? `stopped following request ${[...pending.keys()].join(', ')}; the server goes on with it`
          : 'interrupted',
      );
      stop.abort();
    }
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) io.signals.on(s, onSignal);
  try {
    await client.events(
      undefined,
      (e: StreamEvent) => {
        if (!requests) return false;
        const r = e.data.request as RequestView | undefined;
        if (r && pending.has(r.id)) {
          if (e.type === 'request.started') printer.progress(`request ${r.id} started`, true);
          if (e.type === 'request.updated' && r.state === 'approval')
            printer.progress(`request ${r.id} waits for approval`, true);
          if (e.type === 'request.finished' || FINAL.has(r.state)) pending.delete(r.id);
          return pending.size === 0;
        }
        if (e.type === 'release.started') {
          const rel = e.data.release as ReleaseView | undefined;
          if (rel && [...pending.values()].some((q) => pairOf(q) === pairOf(rel))) {
            releaseOf.set(pairOf(rel), rel.id);
            printer.progress(
              prefix(
                printer.style.bold(
                  `release ${rel.id}: ${rel.kind} ${rel.service} ${rel.version} → ${rel.environment}`,
                ),
                rel.service,
              ),
              true,
            );
          }
          return false;
        }
        const key = e.data.release as { service: string; environment: string; id: number } | undefined;
        const step = e.data.step as StepData | undefined;
        if (step && key && releaseOf.get(pairOf(key)) === key.id)
          stepLine(printer, e.type, step, prefix('', key.service));
        return false;
      },
      stop.signal,
      async () => {
        answer = await client.call<A>('POST', post.path, post.body);
        requests = requestsOf(answer);
        for (const q of requests) if (!FINAL.has(q.state)) pending.set(q.id, q);
        if (requests.length > 1) {
          const width = Math.max(...requests.map((q) => q.service.length));
          const services = new Map(requests.map((q) => [q.service, q.service.padEnd(width)]));
          prefix = (text: string, service?: string) =>
            service ? `${printer.style.dim(`${services.get(service) ?? service} |`)} ${text}` : text;
        }
        for (const q of requests)
          printer.progress(
            q.state === 'approval'
              ? `request ${q.id} queued: waits for ${q.approvalsNeeded ?? 1} approval(s) (POST /api/v1/requests/${q.id}/approve)`
              : `request ${q.id} queued on ${client.url}`,
            true,
          );
        // nothing to follow (an empty promotion): end the stream now
        if (pending.size === 0) stop.abort();
      },
    );
  } finally {
    for (const s of signals) io.signals.off(s, onSignal);
    stop.abort();
  }
  if (!requests) throw new FerryError('E_CANCELLED', 'interrupted before the request was queued');
  if (pending.size > 0)
    throw new FerryError(
      'E_CANCELLED',
      `stopped following request ${[...pending.keys()].join(', ')}; it goes on on the server`,
    );
  const reports: ReleaseReport[] = [];
  let refused: FerryError | undefined;
  for (const q of requests) {
    const r = await client.call<RequestView>('GET', `/api/v1/requests/${q.id}`);
    if (!r.release) {
      refused ??=
        r.state === 'cancelled'
          ? new FerryError('E_CANCELLED', r.message ?? `request ${r.id} cancelled`)
          : rejection(r);
      continue;
    }
    reports.push(await reportOfRelease(client, r.release));
  }
  if (refused) throw refused;
  return { answer, reports };
}

/** The report of a release the server made, with the version it replaced. */
async function reportOfRelease(
  client: ApiClient,
  key: { service: string; environment: string; id: number },
): Promise<ReleaseReport> {
  const { release } = await client.call<{ release: ReleaseView }>(
    'GET',
    `/api/v1/releases/${encodeURIComponent(key.service)}/${encodeURIComponent(key.environment)}/${key.id}`,
  );
  const before = await client.call<{ releases: ReleaseView[] }>(
    'GET',
    `/api/v1/releases?service=${encodeURIComponent(release.service)}&environment=${encodeURIComponent(release.environment)}&outcome=succeeded&before=${release.id}&limit=1`,
  );
  return reportOf(release, before.releases[0]?.version);
}

/** The report of the release a finished request made, or what refused or cancelled it. */
export async function finishedReport(client: ApiClient, r: RequestView): Promise<ReleaseReport> {
  if (!r.release) {
    if (r.state === 'cancelled')
      throw new FerryError('E_CANCELLED', r.message ?? `request ${r.id} cancelled`);
    throw rejection(r);
  }
  return reportOfRelease(client, r.release);
}
