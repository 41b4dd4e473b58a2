// A local HTTP server speaking the parts of GitHub's REST API ferry uses, with GitHub's wire
// format: the paths, JSON bodies, `Authorization: Bearer <token>` (401 without it), 422 for a
// status description over 140 characters, 404 for an unknown comment. Tests read what it was sent
// and can make the pull-request listing fail (500, an HTML error page) or answer an empty list.
// Also: deliveries signed the way GitHub signs them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { githubSignature } from '../../src/server/webhooks/signature.ts';

export interface GitHubCall {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
}

export interface FakeGitHub {
  url: string;
  token: string;
  calls: GitHubCall[];
  comments: Map<number, { issue: number; body: string }>;
  deployments: Map<number, { environment: string; ref: string; statuses: Record<string, unknown>[] }>;
  statuses: { sha: string; state: string; description: string; context: string }[];
  /** what GET /repos/{o}/{r}/pulls answers */
  pulls: { mode: 'ok' | 'error500' | 'html' | 'empty'; open: Record<string, unknown>[] };
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

export async function fakeGitHub(): Promise<FakeGitHub> {
  const token = `ghp_${randomUUID().replace(/-/g, '')}`;
  let nextId = 1000;
  const gh: Omit<FakeGitHub, 'url' | 'close'> = {
    token,
    calls: [],
    comments: new Map(),
    deployments: new Map(),
    statuses: [],
    pulls: { mode: 'ok', open: [] },
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      gh.calls.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: 'Bad credentials' });
      const tooLong = () =>
        typeof body?.description === 'string' && body.description.length > 140
          ? send(422, {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'Status',
                  code: 'custom',
                  field: 'description',
                  message: 'description is too long (maximum is 140 characters)',
                },
              ],
            })
          : undefined;
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && (m = /^\/repos\/[^/]+\/[^/]+\/statuses\/([0-9a-f]{40})$/.exec(path))) {
        if (tooLong() === undefined) {
          gh.statuses.push({
            sha: m[1]!,
            state: String(body?.state),
            description: String(body?.description ?? ''),
            context: String(body?.context ?? 'default'),
          });
          send(201, { id: nextId++, state: body?.state });
        }
        return;
      }
      if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(path)) {
        if (tooLong() !== undefined) return;
        const id = nextId++;
        gh.deployments.set(id, {
          environment: String(body?.environment),
          ref: String(body?.ref),
          statuses: [],
        });
        return send(201, {
          id,
          environment: body?.environment,
          ref: body?.ref,
          transient_environment: body?.transient_environment,
        });
      }
      if (req.method === 'POST' && (m = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(path))) {
        const d = gh.deployments.get(Number(m[1]));
        if (!d) return send(404, { message: 'Not Found' });
        if (tooLong() !== undefined) return;
        d.statuses.push(body ?? {});
        return send(201, { id: nextId++, state: body?.state });
      }
      if (req.method === 'POST' && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
        const id = nextId++;
        gh.comments.set(id, { issue: Number(m[1]), body: String(body?.body) });
        return send(201, { id, body: body?.body });
      }
      if (req.method === 'PATCH' && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path))) {
        const c = gh.comments.get(Number(m[1]));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = String(body?.body);
        return send(200, { id: Number(m[1]), body: c.body });
      }
      if (req.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/pulls$/.test(path)) {
        if (gh.pulls.mode === 'error500') return send(500, { message: 'Server Error' });
        if (gh.pulls.mode === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html><body>GitHub is down for maintenance</body></html>');
        }
        return send(200, gh.pulls.mode === 'empty' ? [] : gh.pulls.open);
      }
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...gh,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  } as FakeGitHub;
}

/** A pull_request event payload in GitHub's shape (octokit's pull-request schema: the fields ferry reads and a few more). */
export function pullRequestPayload(o: {
  action: string;
  number: number;
  sha: string;
  branch?: string;
  repo?: string;
  headRepo?: string;
  labels?: string[];
  label?: string;
  merged?: boolean;
}): Record<string, unknown> {
  const repo = o.repo ?? 'preply/platform';
  return {
    action: o.action,
    number: o.number,
    ...(o.label ? { label: { name: o.label, color: 'ededed' } } : {}),
    pull_request: {
      number: o.number,
      state: o.action === 'closed' ? 'closed' : 'open',
      merged: o.merged ?? false,
      draft: false,
      html_url: `https://github.com/${repo}/pull/${o.number}`,
      user: { login: 'dev' },
      labels: (o.labels ?? []).map((name) => ({ name, color: 'ededed' })),
      head: {
        sha: o.sha,
        ref: o.branch ?? `feature/pr-${o.number}`,
        repo: { full_name: o.headRepo ?? repo },
      },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: repo } },
    },
    repository: { full_name: repo, name: repo.split('/')[1] },
    sender: { login: 'dev' },
  };
}

/** POSTs a delivery the way GitHub does: event, delivery GUID, hook id, the signature over the exact bytes. */
export async function deliver(
  serverUrl: string,
  secret: string,
  event: string,
  payload: unknown,
  o: { delivery?: string; signature?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; delivery: string; ms: number }> {
  const text = JSON.stringify(payload);
  const delivery = o.delivery ?? randomUUID();
  const t0 = performance.now();
  const res = await fetch(`${serverUrl}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/ferry-test',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-github-hook-id': '4242',
      'x-hub-signature-256': o.signature ?? githubSignature(secret, text),
    },
    body: text,
  });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, delivery, ms: performance.now() - t0 };
}
