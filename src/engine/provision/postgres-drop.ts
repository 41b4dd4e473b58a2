// Teardown of a preview's database: the database and the role made for it, and nothing else. The
// names come from the preview (…_pr_<number>), never from input; a name of another shape is
// refused here, so no mistake upstream can drop a shared database.
import pg from 'pg';
import { ProvisionError } from './postgres.ts';

/** Drops database `database` (disconnecting its sessions) and role `user`; true when something was dropped. */
export async function dropPreviewPostgres(
  adminUrl: string,
  t: { database: string; user: string },
  number: number,
): Promise<string[]> {
  const own = new RegExp(`_pr_${number}$`);
  if (!own.test(t.database) || !own.test(t.user))
    throw new ProvisionError(
      `refusing to drop ${t.database}/${t.user}: not the database of preview ${number}`,
      undefined,
    );
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  const dropped: string[] = [];
  try {
    await c.connect();
    const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [t.database]);
    if ((db.rowCount ?? 0) > 0) {
      await c.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [t.database],
      );
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(t.database)}`);
      dropped.push(`database ${t.database}`);
    }
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [t.user]);
    if ((role.rowCount ?? 0) > 0) {
      await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(t.user)}`);
      dropped.push(`role ${t.user}`);
    }
    return dropped;
  } catch (e) {
    throw new ProvisionError(
      `dropping ${t.database} of preview ${number} failed: ${(e as Error).message}`,
      e,
    );
  } finally {
    await c.end().catch(() => undefined);
  }
}
