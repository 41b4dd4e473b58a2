// The dashboard's only door to ferry: the public HTTP API with the token the user logged in
// with (kept for the browser tab's session), and the event stream read with fetch (EventSource
// cannot send an Authorization header).
const KEY = 'ferry.token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;
  constructor(status: number, code: string, message: string, hint?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

export const token = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export async function api<T>(method: string, path: string, body?: unknown, with_?: string): Promise<T> {
  const t = with_ ?? token.get();
  const res = await fetch(path, {
    method,
    headers: {
      ...(t ? { authorization: `Bearer ${t}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, 'E_NOT_JSON', `${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; hint?: string } }).error ?? {};
    throw new ApiError(res.status, e.code ?? 'E_HTTP', e.message ?? `${res.status}`, e.hint);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown) => api<T>('POST', path, body);

export function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export interface StreamEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

type Listener = (e: StreamEvent) => void;
const listeners = new Set<Listener>();
let running: AbortController | undefined;
let lastId: number | undefined;

/** Reads /api/v1/events while anyone listens, reconnecting from the last id after a drop. */
async function pump(ctl: AbortController): Promise<void> {
  while (!ctl.signal.aborted) {
    try {
      const t = token.get();
      const res = await fetch(`/api/v1/events${qs({ after: lastId })}`, {
        headers: t ? { authorization: `Bearer ${t}` } : {},
        signal: ctl.signal,
      });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let id: number | undefined;
          let type = 'message';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (id === undefined || !data) continue;
          lastId = id;
          const e = { id, type, data: JSON.parse(data) as Record<string, unknown> };
          for (const l of listeners) l(e);
        }
      }
    } catch {
      if (ctl.signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Calls `fn` with every event from now on; returns the unsubscribe. */
export function subscribe(fn: Listener): () => void {
  listeners.add(fn);
  if (!running) {
    running = new AbortController();
    void pump(running);
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0) {
      running?.abort();
      running = undefined;
    }
  };
}
