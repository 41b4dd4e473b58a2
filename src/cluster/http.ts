// Requests to one API server over Node's own http2/https (no client library: loading
// @kubernetes/client-node cost ≈ 0.5 s per process, see docs/benchmarks.md): who we are (bearer
// tokens, token files, exec plugins, impersonation), with one retry after a 401 when the
// credential can be renewed (a token file or a plugin); the wire itself is connections.ts.
import type { OutgoingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Connections, type Answer, type ClientCert } from './connections.ts';
import { ExecCredentialSource } from './exec-credential.ts';
import { KubeconfigError } from './errors.ts';
import type { KubeTarget } from './kubeconfig.ts';

/** An HTTP answer that is not a success (the API server's Status object is in `body`). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
}

export interface Stream {
  stop(): void;
}

/** FERRY_TRACE_HTTP=1: one line per request on stderr (method, path, status, time to the answer). */
const tracing = (): boolean => process.env.FERRY_TRACE_HTTP === '1';

const TOKEN_FILE_TTL_MS = 60_000;

interface Auth {
  headers: OutgoingHttpHeaders;
  cert: ClientCert | undefined;
  /** a 401 may be cured by renewing the credential */
  renewable: boolean;
}

export class Transport {
  private readonly exec: ExecCredentialSource | undefined;
  private readonly wire: Connections;
  private tokenFile: { token: string; readAt: number } | undefined;

  constructor(
    readonly target: KubeTarget,
    private readonly now: () => number = Date.now,
  ) {
    const exec = target.credentials.exec;
    this.exec = exec ? new ExecCredentialSource(exec) : undefined;
    this.wire = new Connections(target);
  }

  private readTokenFile(file: string, force: boolean): string {
    const now = this.now();
    if (!force && this.tokenFile && now - this.tokenFile.readAt < TOKEN_FILE_TTL_MS)
      return this.tokenFile.token;
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new KubeconfigError(`cannot read the token file ${file}: ${(e as Error).message}`, e);
    }
    this.tokenFile = { token, readAt: now };
    return token;
  }

  private async auth(renew: boolean): Promise<Auth> {
    const c = this.target.credentials;
    const headers: OutgoingHttpHeaders = { accept: 'application/json', 'user-agent': 'ferry' };
    for (const [k, v] of c.impersonate) {
      const name = k.toLowerCase();
      const had = headers[name];
      headers[name] = had === undefined ? v : [...(Array.isArray(had) ? had : [String(had)]), v];
    }
    let cert = c.clientCert;
    let renewable = false;
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    else if (c.tokenFile) {
      headers.authorization = `Bearer ${this.readTokenFile(c.tokenFile, renew)}`;
      renewable = true;
    }
    if (this.exec) {
      if (renew) this.exec.invalidate();
      const got = await this.exec.get();
      if (got.token) headers.authorization = `Bearer ${got.token}`;
      if (got.clientCert) cert = got.clientCert;
      renewable = true;
    }
    return { headers, cert, renewable };
  }

  private url(path: string, query: RequestOptions['query']): URL {
    const u = new URL(this.target.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  private open(method: string, u: URL, auth: Auth, opts: RequestOptions): Promise<Answer> {
    const headers = { ...auth.headers };
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(opts.body);
    }
    return this.wire.open(method, u, headers, opts.body, auth.cert);
  }

  /** Opens a request, renewing the credential once when the server answers 401. */
  private async send(method: string, path: string, opts: RequestOptions): Promise<Answer> {
    const u = this.url(path, opts.query);
    const trace = tracing();
    const t0 = trace ? performance.now() : 0;
    let auth = await this.auth(false);
    let res = await this.open(method, u, auth, opts);
    if (res.status === 401 && auth.renewable) {
      res.body.resume();
      auth = await this.auth(true);
      res = await this.open(method, u, auth, opts);
    }
    if (trace) {
      const ms = (performance.now() - t0).toFixed(1);
      process.stderr.write(`http: ${method} ${u.pathname}${u.search} → ${res.status} in ${ms} ms\n`);
    }
    return res;
  }

  /** One request; resolves with the body of a 2xx answer, rejects with HttpStatusError otherwise. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<string> {
    const res = await this.send(method, path, opts);
    const body = await readBody(res.body);
    if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res.status, body);
    return body;
  }

  /**
   * A streamed GET (a watch, a followed log): resolves once the server answered 200, then calls
   * `onChunk` with the text as it arrives and `onEnd` once when the stream ends (not after stop()).
   */
  async stream(
    path: string,
    query: RequestOptions['query'],
    onChunk: (text: string) => void,
    onEnd: (err: Error | undefined) => void,
  ): Promise<Stream> {
    const res = await this.send('GET', path, { query });
    if (res.status !== 200) throw new HttpStatusError(res.status, await readBody(res.body));
    res.keepOpen();
    let stopped = false;
    const end = (err: Error | undefined) => {
      if (stopped) return;
      stopped = true;
      onEnd(err);
    };
    res.body.setEncoding('utf8');
    res.body.on('data', (chunk: string) => {
      if (!stopped) onChunk(chunk);
    });
    res.body.once('end', () => end(undefined));
    res.body.once('error', (e) => end(e));
    res.body.once('close', () => end(res.complete() ? undefined : new Error('the connection closed')));
    return {
      stop: () => {
        stopped = true;
        res.abort();
      },
    };
  }

  /** `stream`, a line at a time (watch events are one JSON document per line). */
  streamLines(
    path: string,
    query: RequestOptions['query'],
    onLine: (line: string) => void,
    onEnd: (err: Error | undefined) => void,
  ): Promise<Stream> {
    let rest = '';
    return this.stream(
      path,
      query,
      (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') onLine(line);
      },
      onEnd,
    );
  }

  close(): void {
    this.wire.close();
  }
}

function readBody(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: Buffer) => chunks.push(c));
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    body.once('error', reject);
  });
}
