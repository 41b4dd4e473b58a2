// The CLI as a client of the team server (FERRY_SERVER and FERRY_TOKEN, or --server/--token): the
// same commands, through the API. An error answer becomes the FerryError it was on the server
// (same code, message, hint, issues), so exit codes and -o json errors are the same as local.
import { ERROR_CODES, FerryError, InvalidInputError, type ErrorCode, type Issue } from '../../errors.ts';

export interface RemoteSettings {
  url: string;
  token: string;
}

interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    hint?: string;
    issues?: (Issue & { file?: string; line?: number; col?: number })[];
  };
}

function toError(status: number, body: ErrorBody, what: string): FerryError {
  const e = body.error;
  const code = (
    e?.code && e.code in ERROR_CODES
      ? e.code
      : status === 401
        ? 'E_UNAUTHENTICATED'
        : status === 403
          ? 'E_FORBIDDEN'
          : 'E_INTERNAL'
  ) as ErrorCode;
  const message = e?.message ?? `${what}: HTTP ${status}`;
  if ((code === 'E_INVALID_INPUT' || code === 'E_BAD_REQUEST') && e?.issues) {
    return new InvalidInputError(
      e.issues.map((i) => ({
        path: i.path,
        message: i.message,
        ...(i.file && i.line && i.col ? { loc: { file: i.file, line: i.line, col: i.col } } : {}),
        ...(i.hint ? { hint: i.hint } : {}),
      })),
      message,
    );
  }
  return new FerryError(code, message, e?.hint ? { hint: e.hint } : {});
}

export interface StreamEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

export class ApiClient {
  readonly url: string;
  private readonly token: string;

  constructor(s: RemoteSettings) {
    this.url = s.url.replace(/\/+$/, '');
    this.token = s.token;
  }

  async call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      throw new FerryError('E_SERVER_UNREACHABLE', `cannot reach the ferry server at ${this.url}`, {
        cause: e,
      });
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw toError(res.status, (json ?? {}) as ErrorBody, `${method} ${path}`);
    return json as T;
  }

  /**
   * The event stream from `after` (undefined: from now), each event to `onEvent` until it answers
   * true or the signal aborts. A broken stream is reopened from the last event seen, so none is
   * lost. `onOpen` is called once the server is subscribed (events from then on will arrive).
   */
  async events(
    after: number | undefined,
    onEvent: (e: StreamEvent) => boolean,
    signal: AbortSignal,
    onOpen?: () => void | Promise<void>,
  ): Promise<void> {
    let last = after;
    let opened = false;
    for (;;) {
      if (signal.aborted) return;
      let res: Response;
      try {
        res = await fetch(`${this.url}/api/v1/events${last !== undefined ? `?after=${last}` : ''}`, {
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'text/event-stream',
            ...(last !== undefined ? { 'last-event-id': String(last) } : {}),
          },
          signal,
        });
      } catch (e) {
        if (signal.aborted) return;
        throw new FerryError('E_SERVER_UNREACHABLE', `cannot reach the ferry server at ${this.url}`, {
          cause: e,
        });
      }
      if (!res.ok || !res.body) throw toError(res.status, {}, 'GET /api/v1/events');
      const reader = res.body.getReader();
      if (!opened) {
        opened = true;
        await onOpen?.();
      }
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
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
            if (id === undefined) continue;
            last = id;
            if (onEvent({ id, type, data: JSON.parse(data) as Record<string, unknown> }) === true) {
              await reader.cancel();
              return;
            }
          }
        }
      } catch (e) {
        if (signal.aborted) return;
        // the stream broke (a proxy, a restart): reconnect from the last event seen
        void e;
      }
    }
  }
}

/** The server to talk to, from flags or FERRY_SERVER / FERRY_TOKEN; undefined: work locally. */
export function remoteSettings(
  flags: { server?: string; token?: string },
  env: NodeJS.ProcessEnv,
): RemoteSettings | undefined {
  const url = flags.server ?? env.FERRY_SERVER;
  if (!url) return undefined;
  const token = flags.token ?? env.FERRY_TOKEN;
  if (!token)
    throw new FerryError('E_USAGE', `talking to ${url} needs a token`, {
      hint: 'set FERRY_TOKEN or pass --token',
    });
  return { url, token };
}
