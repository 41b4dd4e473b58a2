// GET /api/v1/events: server-sent events — requests queued, started and finished, releases
// started and finished, every step with its progress — each with its sequence number as the
// event id. A client that reconnects with Last-Event-ID (or ?after=N) first gets everything it
// missed, then the live events; a comment every 15 s keeps proxies from closing a quiet stream.
import { z } from 'zod';
import type { PersistedEvent } from '../../store/server-types.ts';
import { route, type Route } from '../route.ts';

const eventsQuery = z
  .object({
    after: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .describe('the last sequence number seen (as Last-Event-ID)'),
    types: z
      .string()
      .optional()
      .describe('comma-separated event types to receive, e.g. release.finished,step.ended'),
  })
  .strict();

function frame(e: PersistedEvent): string {
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e.data, at: new Date(e.at).toISOString() })}\n\n`;
}

export const eventRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/events',
    summary: 'Server-sent events of requests, releases and steps; resumable with Last-Event-ID.',
    tag: 'events',
    access: { kind: 'token', role: 'viewer' },
    query: eventsQuery,
    status: 200,
    async handler({ query, ctx, request }) {
      const header = request.headers.get('last-event-id');
      const resume = header !== null && /^\d+$/.test(header) ? Number(header) : query.after;
      const types = query.types ? new Set(query.types.split(',').map((t) => t.trim())) : undefined;
      const wanted = (e: PersistedEvent) => !types || types.has(e.type);
      const encoder = new TextEncoder();
      let off: (() => void) | undefined;
      let beat: NodeJS.Timeout | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start: async (controller) => {
          const send = (text: string) => {
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              off?.();
            }
          };
          // live events are held until the backlog is out, then only newer ones pass
          const held: PersistedEvent[] = [];
          let last = resume ?? ctx.events.lastSeq;
          let live = false;
          off = ctx.events.subscribe((e) => {
            if (!live) held.push(e);
            else if (e.seq > last && wanted(e)) {
              last = e.seq;
              send(frame(e));
            }
          });
          send(': ferry events\nretry: 2000\n\n');
          if (resume !== undefined) {
            for (const e of await ctx.events.backlog(resume)) {
              if (e.seq <= last) continue;
              last = e.seq;
              if (wanted(e)) send(frame(e));
            }
          }
          for (const e of held) {
            if (e.seq <= last) continue;
            last = e.seq;
            if (wanted(e)) send(frame(e));
          }
          live = true;
          beat = setInterval(() => send(': keepalive\n\n'), ctx.settings.heartbeatMs);
          beat.unref();
          request.signal.addEventListener('abort', () => {
            off?.();
            if (beat) clearInterval(beat);
          });
        },
        cancel: () => {
          off?.();
          if (beat) clearInterval(beat);
        },
      });
      return new Response(stream, {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        },
      });
    },
  }),
];
