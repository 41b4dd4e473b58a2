// HTTP to one API server over Node's own http/https (no client library: @kubernetes/client-node
// cost ≈ 0.5 s of start-up per process, see docs/benchmarks.md). One keep-alive agent per
// client certificate; TLS trust from the kubeconfig (CA, insecure-skip-tls-verify,
// tls-server-name); proxy-url tunnels (proxy.ts); bearer tokens, token files and exec plugins,
// with one retry after a 401 when the credential can be renewed (a token file or a plugin).
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { ExecCredentialSource } from './exec-credential.ts';
import { KubeconfigError } from './errors.ts';
import type { KubeTarget } from './kubeconfig.ts';
import { tunnel } from './proxy.ts';

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

/** How long a request may go without any bytes before it counts as unreachable. */
const IDLE_TIMEOUT_MS = 60_000;
const TOKEN_FILE_TTL_MS = 60_000;

interface Auth {
  headers: OutgoingHttpHeaders;
  agent: HttpAgent;
  /** a 401 may be cured by renewing the credential */
  renewable: boolean;
}

/** An https agent whose connections go through the kubeconfig's proxy-url. */
class ProxiedHttpsAgent extends HttpsAgent {
  constructor(
    opts: AgentOptions,
    private readonly proxyUrl: string,
  ) {
    super(opts);
  }
  override createConnection(
    options: Parameters<HttpsAgent['createConnection']>[0],
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    tunnel(this.proxyUrl, host, port).then(
      (socket) => {
        const tls = tlsConnect({ ...(options as object), socket, host });
        callback?.(null, tls);
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** An http agent for plain-http servers behind a proxy: a CONNECT tunnel, then HTTP in it. */
class ProxiedHttpAgent extends HttpAgent {
  constructor(private readonly proxyUrl: string) {
    super({ keepAlive: true });
  }
  override createConnection(
    options: Parameters<HttpAgent['createConnection']>[0],
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    tunnel(this.proxyUrl, options.host ?? 'localhost', Number(options.port ?? 80)).then(
      (socket) => callback?.(null, socket),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export class Transport {
  private readonly https: boolean;
  private readonly exec: ExecCredentialSource | undefined;
  private readonly agents = new Map<Buffer | undefined, HttpAgent>();
  private tokenFile: { token: string; readAt: number } | undefined;

  constructor(
    readonly target: KubeTarget,
    private readonly now: () => number = Date.now,
  ) {
    this.https = target.server.startsWith('https:');
    const exec = target.credentials.exec;
    this.exec = exec ? new ExecCredentialSource(exec) : undefined;
  }

  private agentFor(cert: { cert: Buffer; key: Buffer } | undefined): HttpAgent {
    const key = cert?.cert;
    let agent = this.agents.get(key);
    if (agent) return agent;
    const t = this.target;
    if (!this.https) {
      agent = t.proxyUrl ? new ProxiedHttpAgent(t.proxyUrl) : new HttpAgent({ keepAlive: true });
    } else {
      const opts: AgentOptions = { keepAlive: true, rejectUnauthorized: !t.insecureSkipTlsVerify };
      if (t.ca) opts.ca = t.ca;
      if (cert) {
        opts.cert = cert.cert;
        opts.key = cert.key;
      }
      if (t.tlsServerName) opts.servername = t.tlsServerName;
      agent = t.proxyUrl ? new ProxiedHttpsAgent(opts, t.proxyUrl) : new HttpsAgent(opts);
    }
    this.agents.set(key, agent);
    return agent;
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
      const had = headers[k];
      headers[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [String(had)]), v];
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
    return { headers, agent: this.agentFor(cert), renewable };
  }

  private url(path: string, query: RequestOptions['query']): URL {
    const u = new URL(this.target.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  private open(method: string, u: URL, auth: Auth, opts: RequestOptions): Promise<IncomingMessage> {
    const headers = { ...auth.headers };
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(opts.body);
    }
    const request = this.https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(u, { method, headers, agent: auth.agent }, resolve);
      req.once('error', reject);
      req.setTimeout(IDLE_TIMEOUT_MS, () =>
        req.destroy(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000}s`)),
      );
      req.end(opts.body);
    });
  }

  /** Opens a request, renewing the credential once when the server answers 401. */
  private async send(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const u = this.url(path, opts.query);
    let auth = await this.auth(false);
    let res = await this.open(method, u, auth, opts);
    if (res.statusCode === 401 && auth.renewable) {
      res.resume();
      auth = await this.auth(true);
      res = await this.open(method, u, auth, opts);
    }
    return res;
  }

  /** One request; resolves with the body of a 2xx answer, rejects with HttpStatusError otherwise. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<string> {
    const res = await this.send(method, path, opts);
    const body = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new HttpStatusError(status, body);
    return body;
  }

  /**
   * A streamed GET (a watch): resolves once the server answered 200, then calls `onLine` for
   * every line and `onEnd` once when the stream ends (not after stop()).
   */
  async stream(
    path: string,
    query: RequestOptions['query'],
    onLine: (line: string) => void,
    onEnd: (err: Error | undefined) => void,
  ): Promise<Stream> {
    const res = await this.send('GET', path, { query });
    if (res.statusCode !== 200) throw new HttpStatusError(res.statusCode ?? 0, await readBody(res));
    res.socket.setTimeout(0);
    let stopped = false;
    let rest = '';
    const end = (err: Error | undefined) => {
      if (stopped) return;
      stopped = true;
      onEnd(err);
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (!stopped && line.trim() !== '') onLine(line);
    });
    res.once('end', () => end(undefined));
    res.once('error', (e) => end(e));
    res.once('close', () => end(res.complete ? undefined : new Error('the watch connection closed')));
    return {
      stop: () => {
        stopped = true;
        res.destroy();
      },
    };
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}
