// Webhook deliveries, each handled once: a delivery id seen before (a redelivery, a replay of a
// captured request) is answered 200 and does nothing. Keyed by source and the sender's hook, as a
// delivery id is unique per event, not per hook (two hooks may receive the same GitHub GUID).
import type { ServerContext } from '../context.ts';
import { httpError } from '../errors.ts';

/** True the first time (source, hook, id) is seen; false for a redelivery. */
export async function firstDelivery(
  ctx: ServerContext,
  d: { source: string; hook: string | undefined; id: string | undefined; event: string },
): Promise<boolean> {
  if (!d.id) throw httpError('E_BAD_REQUEST', `a ${d.source} delivery without its delivery id`);
  return ctx.records.recordDelivery(d.hook ? `${d.source}:${d.hook}` : d.source, d.id, d.event, ctx.now());
}
