// The store's schema migrations, applied in order and remembered by id, for both SQL drivers: one
// schema, written in each dialect. Never edit a shipped migration: add a new one. Objects are kept
// as TEXT (not JSONB, which reorders keys): a release stores exactly what was applied.

export interface Migration {
  id: string;
  sql: string;
}

/** What differs between the dialects: an auto-numbered key, a 64-bit integer, JSON array rows. */
interface Dialect {
  serial: string;
  bigint: string;
  /** rows (service, environment, kind) of every object of every release, for the backfill */
  objectKinds: string;
  insertIgnore: (table: string, select: string) => string;
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

// 0002: the read model (summaries without bodies, the last successful release and the kinds a
// service applied as queries), what verifies a release, where it came from, a release's source
// as a full key (a promotion's source is in another environment), fencing and owners on leases.
function readModel(d: Dialect): string {
  return `
      ALTER TABLE releases ADD COLUMN verification TEXT NOT NULL DEFAULT '{"jobs":[],"http":[],"observeSeconds":0}';
      ALTER TABLE releases ADD COLUMN source TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE releases ADD COLUMN source_service TEXT;
      ALTER TABLE releases ADD COLUMN source_environment TEXT;
      UPDATE releases SET source_service = service, source_environment = environment WHERE source_release IS NOT NULL;
      CREATE INDEX releases_last ON releases (service, environment, outcome, id);
      CREATE TABLE release_kinds (
        service     TEXT NOT NULL,
        environment TEXT NOT NULL,
        kind        TEXT NOT NULL,
        PRIMARY KEY (service, environment, kind)
      );
      ${d.insertIgnore('release_kinds (service, environment, kind)', d.objectKinds)};
      ALTER TABLE leases ADD COLUMN generation ${d.bigint} NOT NULL DEFAULT 0;
      ALTER TABLE leases ADD COLUMN owner TEXT;
    `;
}

function migrations(d: Dialect): readonly Migration[] {
  return [
    { id: '0001-init', sql: init(d) },
    { id: '0002-read-model', sql: readModel(d) },
  ];
}

export const sqliteMigrations = migrations({
  serial: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  bigint: 'INTEGER',
  objectKinds:
    "SELECT DISTINCT r.service, r.environment, json_extract(o.value, '$.kind') FROM releases r, json_each(r.objects) o",
  insertIgnore: (table, select) => `INSERT OR IGNORE INTO ${table} ${select}`,
});

export const postgresMigrations = migrations({
  serial: 'BIGSERIAL PRIMARY KEY',
  bigint: 'BIGINT',
  objectKinds:
    "SELECT DISTINCT r.service, r.environment, o->>'kind' FROM releases r, jsonb_array_elements(r.objects::jsonb) o",
  insertIgnore: (table, select) => `INSERT INTO ${table} ${select} ON CONFLICT DO NOTHING`,
});
