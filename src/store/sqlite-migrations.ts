// Schema migrations of the SQLite driver, applied in order and remembered by id.
// Never edit a shipped migration: add a new one.

export interface Migration {
  id: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    id: '0001-init',
    sql: `
      CREATE TABLE releases (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        service         TEXT NOT NULL,
        environment     TEXT NOT NULL,
        namespace       TEXT NOT NULL,
        version         TEXT NOT NULL,
        manifest_digest TEXT NOT NULL,
        kind            TEXT NOT NULL,
        source_release  INTEGER,
        actor           TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        message         TEXT NOT NULL DEFAULT '',
        started_at      INTEGER NOT NULL,
        ended_at        INTEGER,
        objects         TEXT NOT NULL,
        migrate_down    TEXT
      );
      CREATE INDEX releases_service_env ON releases (service, environment, id);
      CREATE INDEX releases_outcome ON releases (outcome);
      CREATE TABLE steps (
        release_id INTEGER NOT NULL REFERENCES releases (id),
        seq        INTEGER NOT NULL,
        name       TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        message    TEXT NOT NULL DEFAULT '',
        started_at INTEGER NOT NULL,
        ended_at   INTEGER,
        PRIMARY KEY (release_id, seq)
      );
      CREATE TABLE leases (
        key         TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        token       TEXT NOT NULL,
        release_id  INTEGER,
        acquired_at INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      );
      CREATE TABLE audit (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        at          INTEGER NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        service     TEXT NOT NULL,
        environment TEXT NOT NULL,
        release_id  INTEGER,
        detail      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_service_env ON audit (service, environment, seq);
    `,
  },
];
