// What the runbook runs on the machine running ferry: an HTTP GET (through the new load balancer
// when `via` names it, as curl --connect-to does, so it works before DNS points there) and a
// command with a time limit. Both stop when the run is cancelled.
import { spawn } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Command } from '../../model/types.ts';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function httpGet(
  url: string,
  opts: {
    via?: string | undefined;
    headers?: Record<string, string>;
    timeoutMs: number;
    signal: AbortSignal;
  },
): Promise<HttpAnswer> {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  const [viaHost, viaPort] = opts.via
    ? splitHostPort(opts.via)
    : [u.hostname, u.port || (https ? '443' : '80')];
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      {
        host: viaHost,
        port: Number(viaPort),
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        headers: { host: u.host, ...opts.headers },
        signal,
        ...(https ? { servername: u.hostname } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function splitHostPort(hp: string): [string, string] {
  const i = hp.lastIndexOf(':');
  return [hp.slice(0, i).replace(/^\[|\]$/g, ''), hp.slice(i + 1)];
}

export interface CommandResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs the command in `cwd`; the last 2,000 characters of its output are kept. */
export function runCommand(
  c: Command,
  opts: { cwd: string; timeoutMs: number; signal: AbortSignal },
): Promise<CommandResult> {
  const [file, args] = c.kind === 'shell' ? ['/bin/sh', ['-c', c.script]] : [c.argv[0]!, c.argv.slice(1)];
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(file, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const stop = () => child.kill('SIGTERM');
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    opts.signal.addEventListener('abort', stop, { once: true });
    child.on('error', (e) => {
      output += e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', stop);
      resolve({ code, output: output.trim(), timedOut });
    });
  });
}

/** Waits `ms`, or less when the signal fires (then it rejects with the signal's reason). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
