// Sends a release notice to every configured notifier. Each HTTP delivery is retried with
// backoff; a notifier that still fails is reported, never thrown — a failed notification
// never fails a deploy.
import type { Notifier } from '../../model/types.ts';
import { interpolate } from '../interpolate.ts';
import { slackPayload, summary, webhookPayload, type ReleaseNotice } from './message.ts';

export interface DeliveryResult {
  notifier: string;
  ok: boolean;
  attempts: number;
  error: string | undefined;
}

export interface SendOptions {
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  /** where the console notifier writes */
  write?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

function label(n: Notifier): string {
  if (n.kind === 'console') return 'console';
  if (n.url.includes('${')) return n.kind;
  try {
    return `${n.kind} ${new URL(n.url).host}`;
  } catch {
    return n.kind;
  }
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'ferry' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

async function deliver(
  n: Notifier,
  notice: ReleaseNotice,
  o: Required<Omit<SendOptions, 'env'>> & { env: NodeJS.ProcessEnv },
): Promise<DeliveryResult> {
  const name = label(n);
  if (n.kind === 'console') {
    o.write(summary(notice));
    return { notifier: name, ok: true, attempts: 1, error: undefined };
  }
  let url: string;
  try {
    url = interpolate(n.url, `notify ${n.kind}`, o.env);
  } catch (e) {
    return { notifier: name, ok: false, attempts: 0, error: e instanceof Error ? e.message : String(e) };
  }
  const body = n.kind === 'slack' ? slackPayload(notice) : webhookPayload(notice);
  let last = '';
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      await post(url, body, o.timeoutMs);
      return { notifier: name, ok: true, attempts: attempt, error: undefined };
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
      if (attempt < o.attempts) await new Promise((r) => setTimeout(r, o.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  return { notifier: name, ok: false, attempts: o.attempts, error: last };
}

export async function notifyAll(
  notifiers: readonly Notifier[],
  notice: ReleaseNotice,
  opts: SendOptions = {},
): Promise<DeliveryResult[]> {
  const o = {
    attempts: opts.attempts ?? 3,
    baseDelayMs: opts.baseDelayMs ?? 300,
    timeoutMs: opts.timeoutMs ?? 5000,
    write: opts.write ?? ((line: string) => process.stderr.write(`${line}\n`)),
    env: opts.env ?? process.env,
  };
  return Promise.all(notifiers.map((n) => deliver(n, notice, o)));
}

export function describeDeliveries(rs: readonly DeliveryResult[]): string {
  if (rs.length === 0) return 'no notifiers configured';
  return rs
    .map((r) =>
      r.ok
        ? `${r.notifier} ok`
        : r.attempts === 0
          ? `${r.notifier} not sent: ${r.error}`
          : `${r.notifier} failed after ${r.attempts} tries: ${r.error}`,
    )
    .join('; ');
}
