// A multi-target deploy through the team server: queue the targets as one batch (the server runs
// them in the order of their after: lists, up to --parallel at once), follow every request of it
// on the event stream (step lines prefixed with the service, as a local batch prints them), and
// answer in the local batch's shape: the releases that ran, and the targets that never started
// with why. Ctrl-C asks the server to cancel every unfinished request of the batch; a second one
// stops following and leaves it to the server.
import type { BatchReport, NotStartedDeploy } from '../../engine/actions/deploy-batch.ts';
import type { ReleaseView } from '../../engine/views.ts';
import { FerryError } from '../../errors.ts';
import type { Printer } from '../output.ts';
import { cliIo } from '../io.ts';
import type { ApiClient, StreamEvent } from './client.ts';
import { FINAL, finishedReport, stepLine, type RequestView, type StepData } from './release.ts';

export interface BatchPost {
  environment: string;
  targets: { service: string; version: string }[];
  parallel: number;
  ref?: string;
  confirm?: boolean;
}

export async function runRemoteBatch(
  client: ApiClient,
  post: BatchPost,
  printer: Printer,
): Promise<BatchReport> {
  const io = cliIo();
  const width = Math.max(...post.targets.map((t) => t.service.length));
  const prefix = (service: string) => `${printer.style.dim(`${service.padEnd(width)} |`)} `;
  const stop = new AbortController();
  let queued: RequestView[] | undefined;
  const ids = new Map<number, RequestView>();
  const ended = new Map<number, RequestView>();
  /** `service/id` of the releases the batch's requests made */
  const releases = new Set<string>();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1 && queued) {
      printer.note(`interrupted: asking the server to cancel the batch's unfinished requests`);
      for (const r of [...queued].reverse())
        if (!ended.has(r.id))
          void client.call('POST', `/api/v1/requests/${r.id}/cancel`, {}).catch(() => undefined);
    } else {
      printer.note(queued ? 'stopped following the batch; the server goes on with it' : 'interrupted');
      stop.abort();
    }
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) io.signals.on(s, onSignal);
  try {
    await client.events(
      undefined,
      (e: StreamEvent) => {
        if (!queued) return false;
        const r = e.data.request as RequestView | undefined;
        if (r) {
          if (!ids.has(r.id)) return false;
          if (e.type === 'request.started')
            printer.progress(`${prefix(r.service)}request ${r.id} started`, true);
          if (e.type === 'request.finished' || FINAL.has(r.state)) ended.set(r.id, r);
          return ended.size === ids.size;
        }
        const rel = e.data.release as (ReleaseView & { id: number }) | undefined;
        if (!rel || rel.environment !== post.environment) return false;
        if (e.type === 'release.started' && post.targets.some((t) => t.service === rel.service)) {
          releases.add(`${rel.service}/${rel.id}`);
          printer.progress(
            `${prefix(rel.service)}${printer.style.bold(`release ${rel.id}: ${rel.kind} ${rel.service} ${rel.version} → ${rel.environment}`)}`,
            true,
          );
          return false;
        }
        const step = e.data.step as StepData | undefined;
        if (step && releases.has(`${rel.service}/${rel.id}`))
          stepLine(printer, e.type, step, prefix(rel.service));
        return false;
      },
      stop.signal,
      async () => {
        const b = await client.call<{ batch: number; requests: RequestView[] }>(
          'POST',
          '/api/v1/deploy-batches',
          post,
        );
        for (const r of b.requests) ids.set(r.id, r);
        queued = b.requests;
        printer.progress(
          `batch ${b.batch} queued on ${client.url}: requests ${b.requests.map((r) => r.id).join(', ')}`,
          true,
        );
      },
    );
  } finally {
    for (const s of signals) io.signals.off(s, onSignal);
    stop.abort();
  }
  if (!queued) throw new FerryError('E_CANCELLED', 'interrupted before the batch was queued');
  if (ended.size < ids.size)
    throw new FerryError('E_CANCELLED', `stopped following batch ${queued[0]?.id}; it goes on on the server`);
  return batchReport(client, queued, post);
}

/** The finished batch in the local batch's shape, in the order the targets were given. */
async function batchReport(
  client: ApiClient,
  queued: readonly RequestView[],
  post: BatchPost,
): Promise<BatchReport> {
  const out: BatchReport = { releases: [], notStarted: [] };
  const serviceOf = new Map(queued.map((r) => [r.id, r.service]));
  for (const [i, q] of queued.entries()) {
    const r = await client.call<RequestView>('GET', `/api/v1/requests/${q.id}`);
    if (!r.release && r.notStarted) {
      const n: NotStartedDeploy = {
        service: r.service,
        version: post.targets[i]?.version ?? '',
        reason: r.notStarted.reason,
        ...(r.notStarted.reason === 'dependency'
          ? { blockedBy: serviceOf.get(r.notStarted.blockedBy) ?? `request ${r.notStarted.blockedBy}` }
          : {}),
      };
      out.notStarted.push(n);
    } else out.releases.push(await finishedReport(client, r));
  }
  return out;
}
