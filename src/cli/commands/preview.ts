// `ferry preview ls | deploy --pr N --version V | rm N`: the pull-request previews of the team
// server (FERRY_SERVER and FERRY_TOKEN, or --server/--token). `deploy` is what CI runs once it
// pushed the image of the head commit; `deploy` and `rm` wait for the queued request to end
// (--no-wait: print it and return). Human output, or -o json.
import type { Command } from 'commander';
import { FerryError, usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { createPrinter, type GlobalOptions, type Printer } from '../output.ts';
import { ApiClient, remoteSettings } from '../remote/client.ts';

interface Flags extends GlobalOptions {
  server?: string;
  token?: string;
  pr?: string;
  version?: string;
  wait?: boolean;
}

interface PreviewJson {
  number: number;
  environment: string;
  namespace: string;
  state: string;
  version?: string;
  branch: string;
  headSha: string;
  message: string;
  updatedAt: string;
  expiresAt?: string;
}

interface RequestJson {
  id: number;
  state: string;
  message: string;
  environment: string;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'rejected']);

function client(flags: Flags): ApiClient {
  const s = remoteSettings(flags, cliIo().env);
  if (!s)
    throw usageError(
      'E_USAGE',
      'previews live on the team server: ferry preview needs its URL',
      'set FERRY_SERVER and FERRY_TOKEN, or pass --server and --token',
    );
  return new ApiClient(s);
}

function prNumber(v: string | undefined, what: string): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < 1)
    throw usageError('E_USAGE', `${what} ${v ?? ''}: not a pull request number`.trim(), 'e.g. --pr 42');
  return n;
}

/** Polls the request until it ends, with progress; throws E_RELEASE_FAILED when it did not succeed. */
async function follow(api: ApiClient, q: RequestJson, printer: Printer): Promise<RequestJson> {
  let r = q;
  const t0 = Date.now();
  while (!FINAL.has(r.state)) {
    printer.progress(`request ${r.id} ${r.state} (${Math.round((Date.now() - t0) / 1000)}s)…`, true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    r = await api.call<RequestJson>('GET', `/api/v1/requests/${r.id}`);
  }
  return r;
}

async function report(
  api: ApiClient,
  q: RequestJson,
  flags: Flags,
  printer: Printer,
  what: string,
): Promise<void> {
  const r = flags.wait === false ? q : await follow(api, q, printer);
  printer.json(r);
  printer.line(`${what}: request ${r.id} ${r.state}${r.message ? ` — ${r.message}` : ''}`);
  if (FINAL.has(r.state) && r.state !== 'succeeded')
    throw new FerryError('E_RELEASE_FAILED', `${what}: request ${r.id} ${r.state}: ${r.message}`);
}

function withServer(c: Command): Command {
  return c
    .option('--server <url>', 'the team server (default FERRY_SERVER)')
    .option('--token <token>', 'an API token (default FERRY_TOKEN)');
}

export function register(program: Command): void {
  const preview = program
    .command('preview')
    .description('pull-request previews on the team server: ls, deploy, rm');
  withServer(
    preview.command('ls').description('list the previews: pull request, state, version, expiry'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const out = await client(flags).call<{ previews: PreviewJson[] }>('GET', '/api/v1/previews');
    printer.json(out);
    if (out.previews.length === 0) return printer.line('no previews');
    const rows = [
      ['PR', 'STATE', 'VERSION', 'NAMESPACE', 'BRANCH', 'EXPIRES'],
      ...out.previews.map((p) => [
        `#${p.number}`,
        p.state,
        p.version ?? '-',
        p.namespace,
        p.branch,
        p.expiresAt?.slice(0, 16).replace('T', ' ') ?? '-',
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      printer.line(
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
  });
  withServer(
    preview
      .command('deploy')
      .description("deploy a version to a pull request's preview (CI, once the image is pushed)")
      .option('--pr <number>', 'the pull request')
      .option('--version <version>', 'the image tag, e.g. sha-0123abc')
      .option('--no-wait', 'return once queued'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const n = prNumber(flags.pr, '--pr');
    if (!flags.version)
      throw usageError('E_USAGE', 'which version? pass --version <tag>', 'e.g. --version sha-0123abc');
    const api = client(flags);
    const q = await api.call<RequestJson>('POST', `/api/v1/previews/${n}/deploys`, {
      version: flags.version,
    });
    printer.progress(`queued request ${q.id}: deploy ${flags.version} to pr-${n}`, true);
    await report(api, q, flags, printer, `preview pr-${n} at ${flags.version}`);
  });
  withServer(
    preview
      .command('rm')
      .description("remove a pull request's preview: objects, database, the namespace ferry created")
      .argument('<number>', 'the pull request')
      .option('--no-wait', 'return once queued'),
  ).action(async (number: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const n = prNumber(number, 'preview');
    const api = client(flags);
    const q = await api.call<RequestJson>('DELETE', `/api/v1/previews/${n}`);
    printer.progress(`queued request ${q.id}: remove pr-${n}`, true);
    await report(api, q, flags, printer, `preview pr-${n} removed`);
  });
}
