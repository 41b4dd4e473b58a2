// The wire to one API server. HTTPS servers get one HTTP/2 connection per client certificate
// (as kubectl does: a deploy's parallel requests and watches share one TLS handshake instead of
// one each); a server that does not offer h2 in ALPN, and plain-http servers, get HTTP/1.1 over
// keep-alive agents. TLS trust is the kubeconfig's (CA, insecure-skip-tls-verify,
// tls-server-name); proxy-url tunnels come from proxy.ts.
import { Agent as HttpAgent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { isIP, type Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { KubeTarget } from './kubeconfig.ts';
import { tunnel } from './proxy.ts';

/** A client certificate and its key (PEM). */
export interface ClientCert {
  cert: Buffer;
  key: Buffer;
}

/** An answer whose headers have arrived; the body is still to be read. */
export interface Answer {
  status: number;
  body: Readable;
  /** whether the whole body arrived (false when the connection ended early) */
  complete(): boolean;
  abort(): void;
  /** no idle timeout from now on (a watch may be quiet for minutes) */
  keepOpen(): void;
}

/** How long a request may go without any bytes before it counts as unreachable. */
export const IDLE_TIMEOUT_MS = 60_000;

function tlsOptions(t: KubeTarget, cert: ClientCert | undefined): ConnectionOptions {
  const o: ConnectionOptions = { rejectUnauthorized: !t.insecureSkipTlsVerify };
  if (t.ca) o.ca = t.ca;
  if (cert) {
    o.cert = cert.cert;
    o.key = cert.key;
  }
  if (t.tlsServerName) o.servername = t.tlsServerName;
  return o;
}

/** A TLS connection to host:port (through the proxy, if any) offering `alpn`. */
function connectTls(t: KubeTarget, host: string, port: number, opts: ConnectionOptions): Promise<TLSSocket> {
  const raw: Promise<Socket | undefined> = t.proxyUrl
    ? tunnel(t.proxyUrl, host, port)
    : Promise.resolve(undefined);
  return raw.then(
    (socket) =>
      new Promise<TLSSocket>((resolve, reject) => {
        const s = tlsConnect({
          ...opts,
          host,
          port,
          ...(socket ? { socket } : {}),
          // SNI only with a name: an IP address is checked against the certificate's IP SANs
          ...(opts.servername || isIP(host) ? {} : { servername: host }),
        });
        s.once('error', reject);
        s.once('secureConnect', () => {
          s.off('error', reject);
          resolve(s);
        });
      }),
  );
}

/** An https agent whose connections go through the kubeconfig's proxy-url. */
class ProxiedHttpsAgent extends HttpsAgent {
  constructor(
    opts: AgentOptions,
    private readonly target: KubeTarget,
  ) {
    super(opts);
  }
  override createConnection(
    options: Parameters<HttpsAgent['createConnection']>[0],
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    connectTls(this.target, options.host ?? 'localhost', Number(options.port ?? 443), this.options).then(
      (s) => callback?.(null, s),
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

/** An HTTP/2 session that keeps the process alive only while it has streams open. */
class Session {
  private open = 0;
  constructor(readonly h2: ClientHttp2Session) {
    h2.unref();
  }
  begin(): void {
    if (this.open++ === 0) this.h2.ref();
  }
  end(): void {
    if (--this.open === 0 && !this.h2.destroyed) this.h2.unref();
  }
  get usable(): boolean {
    return !this.h2.closed && !this.h2.destroyed;
  }
}

export class Connections {
  private readonly https: boolean;
  private readonly host: string;
  private readonly port: number;
  /** per client certificate: an HTTP/2 session, or 'h1' when the server does not speak h2 */
  private readonly sessions = new Map<Buffer | undefined, Promise<Session | 'h1'>>();
  private readonly agents = new Map<Buffer | undefined, HttpAgent>();
  private h1Only: boolean;

  constructor(private readonly target: KubeTarget) {
    const u = new URL(target.server);
    this.https = u.protocol === 'https:';
    this.host = u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || (this.https ? 443 : 80));
    this.h1Only = !this.https;
  }

  private agentFor(cert: ClientCert | undefined): HttpAgent {
    let agent = this.agents.get(cert?.cert);
    if (!agent) {
      const t = this.target;
      if (!this.https)
        agent = t.proxyUrl ? new ProxiedHttpAgent(t.proxyUrl) : new HttpAgent({ keepAlive: true });
      else {
        const opts: AgentOptions = { keepAlive: true, ...tlsOptions(t, cert) };
        agent = t.proxyUrl ? new ProxiedHttpsAgent(opts, t) : new HttpsAgent(opts);
      }
      this.agents.set(cert?.cert, agent);
    }
    return agent;
  }

  private sessionFor(cert: ClientCert | undefined): Promise<Session | 'h1'> {
    const key = cert?.cert;
    const have = this.sessions.get(key);
    if (have) return have;
    const made = connectTls(this.target, this.host, this.port, {
      ...tlsOptions(this.target, cert),
      ALPNProtocols: ['h2', 'http/1.1'],
    }).then((socket): Session | 'h1' => {
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        this.h1Only = true;
        return 'h1';
      }
      const h2 = h2connect(this.target.server, { createConnection: () => socket });
      const s = new Session(h2);
      const forget = () => {
        if (this.sessions.get(key) === made) this.sessions.delete(key);
      };
      h2.on('error', forget);
      h2.on('close', forget);
      h2.on('goaway', forget);
      return s;
    });
    made.catch(() => this.sessions.delete(key));
    this.sessions.set(key, made);
    return made;
  }

  /** Sends a request; resolves when the answer's headers arrive. */
  async open(
    method: string,
    u: URL,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    cert: ClientCert | undefined,
  ): Promise<Answer> {
    if (!this.h1Only) {
      let s = await this.sessionFor(cert);
      if (s !== 'h1' && !s.usable) {
        this.sessions.delete(cert?.cert);
        s = await this.sessionFor(cert);
      }
      if (s !== 'h1') return this.openH2(s, method, u, headers, body);
    }
    return this.openH1(method, u, headers, body, cert);
  }

  private openH2(s: Session, method: string, u: URL, headers: OutgoingHttpHeaders, body: string | undefined) {
    return new Promise<Answer>((resolve, reject) => {
      const stream = s.h2.request({ ...headers, ':method': method, ':path': `${u.pathname}${u.search}` });
      s.begin();
      let ended = false;
      stream.once('end', () => (ended = true));
      stream.once('close', () => s.end());
      stream.once('error', reject);
      stream.setTimeout(IDLE_TIMEOUT_MS, () =>
        stream.destroy(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000}s`)),
      );
      stream.once('response', (h) => {
        stream.off('error', reject);
        stream.on('error', () => undefined); // the reader of the body gets it too
        resolve({
          status: Number(h[':status'] ?? 0),
          body: stream,
          complete: () => ended,
          abort: () => stream.destroy(),
          keepOpen: () => stream.setTimeout(0),
        });
      });
      stream.end(body);
    });
  }

  private openH1(
    method: string,
    u: URL,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    cert: ClientCert | undefined,
  ) {
    const request = this.https ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = request(u, { method, headers, agent: this.agentFor(cert) }, (res) => {
        res.on('error', () => undefined); // the reader of the body gets it too
        resolve({
          status: res.statusCode ?? 0,
          body: res,
          complete: () => res.complete,
          abort: () => res.destroy(),
          keepOpen: () => res.socket.setTimeout(0),
        });
      });
      req.once('error', reject);
      req.setTimeout(IDLE_TIMEOUT_MS, () =>
        req.destroy(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000}s`)),
      );
      req.end(body);
    });
  }

  close(): void {
    for (const p of this.sessions.values())
      void p.then(
        (s) => s !== 'h1' && s.h2.close(),
        () => undefined,
      );
    this.sessions.clear();
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
