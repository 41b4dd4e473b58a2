// git's own smart-HTTP server (`git http-backend`, a CGI program) behind a small Node HTTP server
// on loopback that demands Basic auth: the network path of a git project, for real.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpRequest {
  method: string;
  path: string;
  /** the Authorization header as received, undefined when none */
  authorization: string | undefined;
  status: number;
}

export interface GitHttpServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

function userOf(header: string | undefined, users: Record<string, string>): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const [user, password] = [text.slice(0, colon), text.slice(colon + 1)];
  return colon > 0 && users[user] === password ? user : undefined;
}

/** Runs git http-backend for one request; its CGI answer (headers, blank line, body) becomes the response. */
function cgi(
  root: string,
  user: string,
  req: IncomingMessage,
  res: ServerResponse,
  done: (status: number) => void,
): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const header = (name: string): string => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : (v ?? '');
  };
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: header('content-type'),
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: header('content-length') } : {}),
      HTTP_CONTENT_ENCODING: header('content-encoding'),
      GIT_PROTOCOL: header('git-protocol'),
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  let status = 200;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const endLf = head.indexOf('\n\n');
    const [at, sepLen] = end >= 0 ? [end, 4] : endLf >= 0 ? [endLf, 2] : [-1, 0];
    if (at < 0) return;
    for (const line of head.subarray(0, at).toString('utf8').split(/\r?\n/)) {
      const i = line.indexOf(':');
      const [name, value] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
      if (/^status$/i.test(name)) status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    started = true;
    res.write(head.subarray(at + sepLen));
  });
  child.on('close', () => {
    if (!started) res.statusCode = 500;
    res.end();
    done(started ? status : 500);
  });
}

/** Serves the repositories under `root` (GIT_PROJECT_ROOT) to the users given (name → password). */
export async function gitHttpServer(root: string, users: Record<string, string>): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const server = createServer((req, res) => {
    const entry: GitHttpRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(entry);
    const user = userOf(req.headers.authorization, users);
    if (!user) {
      entry.status = 401;
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      return void res.end('authentication required\n');
    }
    cgi(root, user, req, res, (status) => (entry.status = status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
