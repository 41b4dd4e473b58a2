// A kubeconfig's proxy-url: a tunnel to the API server through an HTTP(S) proxy (CONNECT, with
// Basic proxy credentials from the URL's user info) or a SOCKS5 proxy (RFC 1928, no auth or
// RFC 1929 username/password; host names are resolved by the proxy). The TLS session to the API
// server runs inside the tunnel, so the proxy sees only the host and port.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export class ProxyError extends Error {
  constructor(proxy: string, message: string, cause?: unknown) {
    super(`proxy ${proxy}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'ProxyError';
  }
}

/** The proxy URL without its credentials, for messages. */
export function displayProxy(proxyUrl: string): string {
  try {
    const u = new URL(proxyUrl);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid proxy-url)';
  }
}

/** A socket connected to host:port through the proxy. */
export function tunnel(proxyUrl: string, host: string, port: number): Promise<Socket> {
  let u: URL;
  try {
    u = new URL(proxyUrl);
  } catch (e) {
    return Promise.reject(new ProxyError(proxyUrl, 'not a URL', e));
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return connectTunnel(u, host, port);
  if (u.protocol === 'socks5:' || u.protocol === 'socks5h:') return socksTunnel(u, host, port);
  return Promise.reject(new ProxyError(displayProxy(proxyUrl), 'use an http, https or socks5 proxy URL'));
}

function connectTunnel(u: URL, host: string, port: number): Promise<Socket> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (u.username) {
    const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(cred).toString('base64')}`;
  }
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || (u.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(
          new ProxyError(
            displayProxy(u.href),
            `CONNECT ${authority} answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
          ),
        );
      }
    });
    req.once('error', (e) => reject(new ProxyError(displayProxy(u.href), e.message, e)));
    req.end();
  });
}

/** Reads a socket's bytes in exact amounts (the SOCKS handshake), then hands it back unread. */
class ByteReader {
  private data = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private closed = false;
  private error: Error | undefined;
  private readonly onError = (e: Error) => {
    this.error = e;
    this.onClose();
  };
  private readonly onData = (chunk: Buffer) => {
    this.data = Buffer.concat([this.data, chunk]);
    this.wake?.();
  };
  private readonly onClose = () => {
    this.closed = true;
    this.wake?.();
  };
  constructor(private readonly s: Socket) {
    s.on('data', this.onData);
    s.on('close', this.onClose);
    s.on('error', this.onError);
  }

  async read(n: number): Promise<Buffer> {
    while (this.data.length < n) {
      if (this.closed) throw this.error ?? new Error('the proxy closed the connection');
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
    const out = this.data.subarray(0, n);
    this.data = this.data.subarray(n);
    return out;
  }

  /** Stops reading; bytes read ahead go back into the socket. */
  release(): void {
    this.s.off('data', this.onData);
    this.s.off('close', this.onClose);
    this.s.off('error', this.onError);
    this.s.pause();
    if (this.data.length > 0) this.s.unshift(this.data);
  }
}

const SOCKS_REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'not allowed by the ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

async function socksTunnel(u: URL, host: string, port: number): Promise<Socket> {
  const shown = displayProxy(u.href);
  const s = netConnect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 1080) });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve();
      });
    });
    const r = new ByteReader(s);
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    s.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
    const [ver, method] = await r.read(2);
    if (ver !== 5) throw new Error('not a SOCKS5 proxy');
    if (method === 2) {
      const ub = Buffer.from(user);
      const pb = Buffer.from(pass);
      s.write(Buffer.concat([Buffer.from([1, ub.length]), ub, Buffer.from([pb.length]), pb]));
      const [, ok] = await r.read(2);
      if (ok !== 0) throw new Error('the proxy refused the username/password');
    } else if (method !== 0) {
      throw new Error(
        user ? 'the proxy accepts no authentication method we offer' : 'the proxy wants credentials',
      );
    }
    let addr: Buffer;
    if (isIP(host) === 4) addr = Buffer.from([1, ...host.split('.').map(Number)]);
    else if (isIP(host) === 6) addr = Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]);
    else addr = Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
    s.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])]));
    const [, rep, , atyp] = await r.read(4);
    if (rep !== 0) throw new Error(`CONNECT ${host}:${port}: ${SOCKS_REPLIES[rep ?? 1] ?? `error ${rep}`}`);
    const len = atyp === 1 ? 4 : atyp === 4 ? 16 : ((await r.read(1))[0] ?? 0);
    await r.read(len + 2);
    r.release();
    return s;
  } catch (e) {
    s.destroy();
    throw new ProxyError(shown, (e as Error).message, e);
  }
}

function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail = ''] = ip.split('::');
  const parts = (x: string) => (x ? x.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}
