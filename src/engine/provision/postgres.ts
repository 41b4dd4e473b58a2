// The provision step for features.postgres: with the environment's admin connection, make sure
// the service's role, database and schema exist — idempotently (ANNA's "check/create DB user and
// schema" before migrations). Never drops or alters anything that exists: the password of an
// existing role is never changed (another service, environment or preview may log in with it);
// the caller finds that role's credentials, or refuses (credentials.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FerryError } from '../../errors.ts';

export interface PostgresTarget {
  database: string;
  user: string;
  schema: string;
}

export interface ProvisionResult {
  created: string[];
  existing: string[];
  /** set when the role was created this run, with this new password: the caller stores it */
  password: string | undefined;
}

export interface ProvisionOptions {
  /** the password a role created now gets (default: a new random one); an existing role keeps its own */
  password?: string;
}

export class ProvisionError extends FerryError {
  constructor(message: string, cause: unknown) {
    super('E_PROVISION', message, {
      cause,
      hint: "check the environment's database.admin URL and that the server accepts it",
    });
    this.name = 'ProvisionError';
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<admin url>';
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  return c;
}

function pgCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Whether the role exists on the server of `adminUrl`. */
export async function roleExists(adminUrl: string, user: string): Promise<boolean> {
  let admin: pg.Client | undefined;
  try {
    admin = await connect(adminUrl);
    return ((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).rowCount ?? 0) > 0;
  } catch (e) {
    throw new ProvisionError(
      `cannot look up role ${user} via ${redact(adminUrl)}: ${(e as Error).message}`,
      e,
    );
  } finally {
    await admin?.end().catch(() => undefined);
  }
}

/** Whether `url` logs in (a password found for a role still works). */
export async function canLogin(url: string): Promise<boolean> {
  let c: pg.Client | undefined;
  try {
    c = await connect(url);
    return true;
  } catch {
    return false;
  } finally {
    await c?.end().catch(() => undefined);
  }
}

export async function provisionPostgres(
  adminUrl: string,
  t: PostgresTarget,
  opts: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const result: ProvisionResult = { created: [], existing: [], password: undefined };
  let admin: pg.Client | undefined;
  try {
    admin = await connect(adminUrl);
    const ident = (s: string) => admin!.escapeIdentifier(s);
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [t.user]);
    if (role.rowCount === 0) {
      const password = opts.password ?? randomBytes(18).toString('base64url');
      try {
        // created with its password in one statement: a role never exists without one
        await admin.query(`CREATE ROLE ${ident(t.user)} LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
        result.created.push(`role ${t.user}`);
        result.password = password;
      } catch (e) {
        if (pgCode(e) !== '42710') throw e; // created concurrently: it keeps the other's password
        result.existing.push(`role ${t.user}`);
      }
    } else result.existing.push(`role ${t.user}`);
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [t.database]);
    if (db.rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE ${ident(t.database)} OWNER ${ident(t.user)}`);
        result.created.push(`database ${t.database}`);
      } catch (e) {
        if (pgCode(e) !== '42P04') throw e;
        result.existing.push(`database ${t.database}`);
      }
    } else result.existing.push(`database ${t.database}`);
  } catch (e) {
    throw new ProvisionError(
      `provisioning ${t.database} via ${redact(adminUrl)} failed: ${(e as Error).message}`,
      e,
    );
  } finally {
    await admin?.end().catch(() => undefined);
  }
  let inDb: pg.Client | undefined;
  try {
    inDb = await connect(withDatabase(adminUrl, t.database));
    const ident = (s: string) => inDb!.escapeIdentifier(s);
    const schema = await inDb.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.schema]);
    if (schema.rowCount === 0) {
      await inDb.query(`CREATE SCHEMA IF NOT EXISTS ${ident(t.schema)} AUTHORIZATION ${ident(t.user)}`);
      result.created.push(`schema ${t.schema}`);
    } else {
      result.existing.push(`schema ${t.schema}`);
    }
    await inDb.query(`GRANT USAGE, CREATE ON SCHEMA ${ident(t.schema)} TO ${ident(t.user)}`);
  } catch (e) {
    throw new ProvisionError(
      `provisioning schema ${t.schema} in ${t.database} failed: ${(e as Error).message}`,
      e,
    );
  } finally {
    await inDb?.end().catch(() => undefined);
  }
  return result;
}

export function describeProvision(r: ProvisionResult): string {
  const parts: string[] = [];
  if (r.created.length) parts.push(`created ${r.created.join(', ')}`);
  if (r.existing.length) parts.push(`exists: ${r.existing.join(', ')}`);
  return parts.join('; ');
}

/** The service's connection URL: the admin URL's host and port, the service's role and database. */
export function serviceDatabaseUrl(adminUrl: string, t: PostgresTarget, password: string): string {
  const u = new URL(adminUrl);
  u.username = encodeURIComponent(t.user);
  u.password = encodeURIComponent(password);
  u.pathname = `/${encodeURIComponent(t.database)}`;
  u.search = t.schema === 'public' ? '' : `?options=${encodeURIComponent(`-csearch_path=${t.schema}`)}`;
  return u.toString();
}

/** The server a URL points at, as `host:port` (the default port when none is given). */
export function serverOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}`;
}
