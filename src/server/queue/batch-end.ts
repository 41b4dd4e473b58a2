// When a request of a batch ends without success, the store ends the rest of its batch that had
// not started (finishRequest, cancelRequest); this tells the event stream about each of them.
import type { QueuedRequest } from '../../store/server-types.ts';
import type { ServerContext } from '../context.ts';
import { publish, requestEvent } from '../events.ts';

export async function publishNotStarted(ctx: ServerContext, ended: QueuedRequest): Promise<void> {
  if (ended.batch === undefined || ended.state === 'succeeded') return;
  const rest = await ctx.records.listRequests({ batch: ended.batch, limit: 500 });
  for (const r of rest.reverse())
    if (r.notStarted?.blockedBy === ended.id) publish(ctx.events, requestEvent('request.finished', r));
}
