// Real proxies on loopback for the proxy-url tests: an HTTP proxy that tunnels CONNECT
// (RFC 9110 §9.3.6, optional Basic Proxy-Authorization), a SOCKS5 proxy (RFC 1928, no auth or
// RFC 1929 username/password), each recording what it was asked to connect to; and an
// HTTP/1.1-only HTTPS front for the API server (a TLS-terminating proxy without h2).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** "host:port" of every tunnel opened */
  connects: string[];
  close(): Promise<void>;
}

function closer(server: Server | NetServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function pipeBoth(a: Socket, b: Socket, sockets: Set<Socket>): void {
  sockets.add(a);
  sockets.add(b);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

/** An HTTP CONNECT proxy; with `auth` ("user:pass") it answers 407 without matching credentials. */
export async function httpConnectProxy(auth?: string): Promise<TestProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.writeHead(405).end('only CONNECT');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    if (auth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const target = req.url ?? '';
    connects.push(target);
    const i = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(i + 1)), target.slice(0, i).replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      pipeBoth(client, upstream, sockets);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const creds = auth ? `${auth}@` : '';
  return { url: `http://${creds}127.0.0.1:${port}`, connects, close: closer(server, sockets) };
}

/** Reads the SOCKS5 handshake in steps; each step gets exactly the bytes it asks for. */
class Bytes {
  private buf = Buffer.alloc(0);
  private waiting: { n: number; resolve: (b: Buffer) => void } | undefined;
  constructor(private readonly s: Socket) {
    s.on('data', this.onData);
  }
  private readonly onData = (chunk: Buffer) => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.flush();
  };
  private flush(): void {
    if (this.waiting && this.buf.length >= this.waiting.n) {
      const { n, resolve } = this.waiting;
      this.waiting = undefined;
      const out = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      resolve(out);
    }
  }
  read(n: number): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = { n, resolve };
      this.flush();
    });
  }
  detach(): Buffer {
    this.s.off('data', this.onData);
    return this.buf;
  }
}

/** A SOCKS5 proxy; with `auth` ("user:pass") it requires RFC 1929 username/password. */
export async function socks5Proxy(auth?: string): Promise<TestProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    sockets.add(client);
    client.on('error', () => client.destroy());
    const r = new Bytes(client);
    void (async () => {
      const [, nMethods = 0] = await r.read(2);
      const methods = [...(await r.read(nMethods))];
      const want = auth ? 2 : 0;
      if (!methods.includes(want)) return client.end(Buffer.from([5, 0xff]));
      client.write(Buffer.from([5, want]));
      if (auth) {
        const [, ulen = 0] = await r.read(2);
        const user = (await r.read(ulen)).toString();
        const [plen = 0] = await r.read(1);
        const pass = (await r.read(plen)).toString();
        if (`${user}:${pass}` !== auth) return client.end(Buffer.from([1, 1]));
        client.write(Buffer.from([1, 0]));
      }
      const [, cmd, , atyp] = await r.read(4);
      let host: string;
      if (atyp === 1) host = [...(await r.read(4))].join('.');
      else if (atyp === 3) host = (await r.read((await r.read(1))[0] ?? 0)).toString();
      else return client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
      const port = (await r.read(2)).readUInt16BE(0);
      if (cmd !== 1) return client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
      connects.push(`${host}:${port}`);
      const upstream = connect(port, host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
        const rest = r.detach();
        if (rest.length > 0) upstream.write(rest);
        pipeBoth(client, upstream, sockets);
      });
      upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const creds = auth ? `${auth}@` : '';
  return { url: `socks5://${creds}127.0.0.1:${port}`, connects, close: closer(server, sockets) };
}

/** A self-signed certificate for 127.0.0.1 (openssl, as the cluster scripts use it). */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const key = join(dir, 'front.key');
  const cert = join(dir, 'front.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=ferry-test-front',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/**
 * An HTTPS front for the API server that speaks only HTTP/1.1 (as many TLS-terminating proxies
 * do): requests are passed on with their Authorization header, over TLS trusting `upstreamCa`.
 */
export async function http1Front(
  upstream: string,
  upstreamCa: string,
  tlsFiles: { cert: string; key: string },
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const up = new URL(upstream);
  const server = createHttpsServer({ ...tlsFiles, ALPNProtocols: ['http/1.1'] }, (req, res) => {
    requests.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
    const { host: _host, connection: _c, ...headers } = req.headers;
    const out = httpsRequest(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers, ca: upstreamCa },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `https://127.0.0.1:${port}`, requests, close: closer(server, sockets) };
}
