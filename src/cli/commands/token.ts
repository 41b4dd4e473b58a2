// `ferry token create|list|revoke`: the team server's API tokens. Through the server when
// FERRY_SERVER (or --server) is set, as an admin token; otherwise straight on the store FERRY_STATE
// names — how an installation gets its first admin token, before anyone holds one. A new token is
// printed once; only its hash is kept.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { ROLES, type Role } from '../../store/server-types.ts';
import { cliIo } from '../io.ts';
import { createPrinter, type GlobalOptions, type Printer } from '../output.ts';
import type { ApiClient } from '../remote/client.ts';
import { addServerOptions, parseSeconds, remoteClient, table, type ServerFlags } from './release-common.ts';

interface Flags extends GlobalOptions, ServerFlags {
  name?: string;
  role?: string;
  env?: string;
  expires?: string;
}

export interface TokenView {
  id: string;
  name: string;
  role: string;
  environments: string[];
  createdAt: string;
  createdBy: string;
  expiresAt?: string | undefined;
  revokedAt?: string | undefined;
  lastUsedAt?: string | undefined;
  lastUsedFrom?: string | undefined;
}

/** What the commands do, through the API or on the store. */
interface TokenAdmin {
  create(o: {
    name: string;
    role: Role;
    environments: string[];
    expiresInSeconds?: number;
  }): Promise<TokenView & { token: string }>;
  list(): Promise<TokenView[]>;
  revoke(id: string): Promise<void>;
  close(): Promise<void>;
}

function viaApi(client: ApiClient): TokenAdmin {
  return {
    create: (o) => client.call('POST', '/api/v1/tokens', o),
    list: async () => (await client.call<{ tokens: TokenView[] }>('GET', '/api/v1/tokens')).tokens,
    revoke: async (id) => {
      await client.call('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
    },
    close: async () => undefined,
  };
}

async function viaStore(): Promise<TokenAdmin> {
  const io = cliIo();
  const state = io.env.FERRY_STATE;
  if (!state)
    throw usageError(
      'E_USAGE',
      'no server and no store: tokens live in the team server’s store',
      'set FERRY_SERVER and FERRY_TOKEN (an admin token), or FERRY_STATE to the server’s store for the first token',
    );
  const [{ openStore }, { createToken }, { tokenView }, { defaultActor }] = await Promise.all([
    import('../../store/open.ts'),
    import('../../server/token-admin.ts'),
    import('../../server/views.ts'),
    import('../../engine/context.ts'),
  ]);
  const store = await openStore(state);
  const records = store.server();
  const actor = defaultActor(io.env);
  const audit = (detail: string) =>
    records.appendAuditRecord({
      at: Date.now(),
      actor,
      token: undefined,
      action: 'ferry token (on the store)',
      service: '',
      environment: '',
      releaseId: undefined,
      detail,
      source: 'cli',
      result: 'ok',
    });
  return {
    async create(o) {
      const { token, record } = await createToken(records, { ...o, createdBy: actor, now: Date.now() });
      await audit(`token ${record.id} (${record.name}, ${record.role}) created`);
      return { token, ...tokenView(record) };
    },
    list: async () => (await records.listTokens()).map(tokenView),
    async revoke(id) {
      if (!(await records.revokeToken(id, Date.now())))
        throw usageError('E_NOT_FOUND', `no live token ${id}`, 'see ferry token list');
      await audit(`token ${id} revoked`);
    },
    close: () => store.close(),
  };
}

async function admin(flags: Flags): Promise<TokenAdmin> {
  const client = await remoteClient(flags);
  return client ? viaApi(client) : viaStore();
}

function role(v: string | undefined): Role {
  if (!v || !(ROLES as readonly string[]).includes(v))
    throw usageError('E_USAGE', `--role ${v ?? ''}: one of ${ROLES.join(', ')}`);
  return v as Role;
}

function printList(printer: Printer, tokens: readonly TokenView[]): void {
  printer.line(
    table(
      ['ID', 'NAME', 'ROLE', 'ENVIRONMENTS', 'EXPIRES', 'LAST USED', 'STATE'],
      tokens.map((t) => [
        t.id,
        t.name,
        t.role,
        t.environments.join(',') || '(all)',
        t.expiresAt?.slice(0, 10) ?? 'never',
        t.lastUsedAt
          ? `${t.lastUsedAt.slice(0, 19).replace('T', ' ')} ${t.lastUsedFrom ?? ''}`.trim()
          : 'never',
        t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) < Date.now() ? 'expired' : 'live',
      ]),
    ),
  );
  printer.json({ tokens });
}

export function register(program: Command): void {
  const token = program.command('token').description("the team server's API tokens (admins)");
  addServerOptions(
    token
      .command('create')
      .description('make a token and print it once')
      .requiredOption('--name <name>', 'who or what uses it, e.g. ci, alice')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--env <a,b>', 'deployers: the environments it may deploy to (default: every one)')
      .option('--expires <duration>', 'e.g. 90d; default: never'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const r = role(flags.role);
    const environments = (flags.env ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const expiresInSeconds = flags.expires ? parseSeconds(flags.expires, '--expires') : undefined;
    const a = await admin(flags);
    try {
      const made = await a.create({
        name: flags.name ?? '',
        role: r,
        environments,
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      });
      printer.line(made.token);
      printer.note(
        `token ${made.id} (${made.name}, ${made.role}${environments.length ? ` in ${environments.join(',')}` : ''}): shown once, keep it now`,
      );
      printer.json(made);
    } finally {
      await a.close();
    }
  });
  addServerOptions(token.command('list').description('every token (never the token itself)')).action(
    async (_f: Flags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<Flags>();
      const printer = createPrinter(flags);
      const a = await admin(flags);
      try {
        printList(printer, await a.list());
      } finally {
        await a.close();
      }
    },
  );
  addServerOptions(
    token.command('revoke').description('revoke a token: every later call with it is 401').argument('<id>'),
  ).action(async (id: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const a = await admin(flags);
    try {
      await a.revoke(id);
      printer.line(`revoked ${id}`);
      printer.json({ revoked: id });
    } finally {
      await a.close();
    }
  });
}
