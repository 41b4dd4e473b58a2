// `ferry audit [--actor a] [--service s] [--limit n]`: who did what, when, from where, with what
// result — newest first. Through the team server (an admin token), or on the store FERRY_STATE
// names when no server is set.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { createPrinter, type GlobalOptions } from '../output.ts';
import { addServerOptions, remoteClient, table, type ServerFlags } from './release-common.ts';

interface Flags extends GlobalOptions, ServerFlags {
  actor?: string;
  service?: string;
  limit: string;
}

interface Entry {
  at: string;
  actor: string;
  token?: string | undefined;
  action: string;
  service: string;
  environment: string;
  detail: string;
  source?: string | undefined;
  result?: string | undefined;
}

async function entries(flags: Flags, limit: number): Promise<Entry[]> {
  const client = await remoteClient(flags);
  if (client) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (flags.actor) q.set('actor', flags.actor);
    if (flags.service) q.set('service', flags.service);
    return (await client.call<{ entries: Entry[] }>('GET', `/api/v1/audit?${q}`)).entries;
  }
  const state = cliIo().env.FERRY_STATE;
  if (!state)
    throw usageError(
      'E_USAGE',
      'no server and no store: the audit lives in the team server’s store',
      'set FERRY_SERVER and FERRY_TOKEN (an admin token), or FERRY_STATE to the server’s store',
    );
  const { openStore } = await import('../../store/open.ts');
  const store = await openStore(state);
  try {
    const rows = await store.server().listAuditRecords({
      ...(flags.actor ? { actor: flags.actor } : {}),
      ...(flags.service ? { service: flags.service } : {}),
      limit,
    });
    return rows.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  addServerOptions(
    program
      .command('audit')
      .description("the team server's audit: every mutating call and webhook, newest first (admins)")
      .option('--actor <name>', 'only what this actor did')
      .option('--service <name>', 'only what touched this service')
      .option('--limit <n>', 'how many entries', '50'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw usageError('E_USAGE', `--limit ${flags.limit}: a count from 1 to 500`);
    const list = await entries(flags, limit);
    printer.line(
      table(
        ['AT', 'ACTOR', 'TOKEN', 'ACTION', 'WHERE', 'RESULT', 'FROM', 'DETAIL'],
        list.map((e) => [
          e.at.slice(0, 19).replace('T', ' '),
          e.actor,
          e.token ?? '-',
          e.action,
          [e.service, e.environment].filter(Boolean).join('/') || '-',
          e.result ?? '-',
          e.source ?? '-',
          e.detail,
        ]),
      ),
    );
    if (list.length === 0) printer.note('nothing in the audit yet');
    printer.json({ entries: list });
  });
}
