// The store's schema migrations, applied in order and remembered by id, for both SQL drivers: one
// schema, written in each dialect. Never edit a shipped migration: add a new one. Objects are kept
// as TEXT (not JSONB, which reorders keys): a release stores exactly what was applied.

export interface Migration {
  id: string;
  sql: string;
}

/** What differs between the dialects: an auto-numbered key, and a 64-bit integer. */
interface Dialect {
  serial: string;
  bigint: string;
}

function init({ serial, bigint }: Dialect): string {
  return `
      CREATE TABLE releases (
        id              ${serial},
        service         TEXT NOT NULL,
        environment     TEXT NOT NULL,
        namespace       TEXT NOT NULL,
        version         TEXT NOT NULL,
        manifest_digest TEXT NOT NULL,
        kind            TEXT NOT NULL,
        source_release  ${bigint},
        actor           TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        message         TEXT NOT NULL DEFAULT '',
        started_at      ${bigint} NOT NULL,
        ended_at        ${bigint},
        objects         TEXT NOT NULL,
        migrate_down    TEXT
      );
      CREATE INDEX releases_service_env ON releases (service, environment, id);
      CREATE INDEX releases_outcome ON releases (outcome);
      CREATE TABLE steps (
        release_id ${bigint} NOT NULL REFERENCES releases (id),
        seq        INTEGER NOT NULL,
        name       TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        message    TEXT NOT NULL DEFAULT '',
        started_at ${bigint} NOT NULL,
        ended_at   ${bigint},
        PRIMARY KEY (release_id, seq)
      );
      CREATE TABLE leases (
        key         TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        token       TEXT NOT NULL,
        release_id  ${bigint},
        acquired_at ${bigint} NOT NULL,
        expires_at  ${bigint} NOT NULL
      );
      CREATE TABLE audit (
        seq         ${serial},
        at          ${bigint} NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        service     TEXT NOT NULL,
        environment TEXT NOT NULL,
        release_id  ${bigint},
        detail      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_service_env ON audit (service, environment, seq);
    `;
}

function migrations(d: Dialect): readonly Migration[] {
  return [{ id: '0001-init', sql: init(d) }];
}

export const sqliteMigrations = migrations({
  serial: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  bigint: 'INTEGER',
});

export const postgresMigrations = migrations({ serial: 'BIGSERIAL PRIMARY KEY', bigint: 'BIGINT' });
