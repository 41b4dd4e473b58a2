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

// 0003: the team server — tokens (hashes only), the deploy queue with fenced claims, approvals,
// persisted change events for the event stream, webhook deliveries; the audit says which token,
// from where and with what result.
function server({ serial, bigint }: Dialect): string {
  return `
      CREATE TABLE tokens (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        role           TEXT NOT NULL,
        environments   TEXT NOT NULL,
        hash           TEXT NOT NULL UNIQUE,
        created_at     ${bigint} NOT NULL,
        created_by     TEXT NOT NULL,
        expires_at     ${bigint},
        revoked_at     ${bigint},
        last_used_at   ${bigint},
        last_used_from TEXT
      );
      CREATE TABLE requests (
        id                ${serial},
        kind              TEXT NOT NULL,
        service           TEXT NOT NULL,
        environment       TEXT NOT NULL,
        payload           TEXT NOT NULL,
        requested_by      TEXT NOT NULL,
        token_id          TEXT,
        approvals_needed  INTEGER NOT NULL DEFAULT 0,
        state             TEXT NOT NULL,
        created_at        ${bigint} NOT NULL,
        started_at        ${bigint},
        ended_at          ${bigint},
        message           TEXT NOT NULL DEFAULT '',
        release_id        ${bigint},
        attempt           INTEGER NOT NULL DEFAULT 0,
        cancel_requested  INTEGER NOT NULL DEFAULT 0,
        lease_owner       TEXT,
        lease_generation  ${bigint} NOT NULL DEFAULT 0,
        lease_expires_at  ${bigint}
      );
      CREATE INDEX requests_state ON requests (state, id);
      CREATE INDEX requests_pair ON requests (service, environment, id);
      CREATE TABLE approvals (
        request_id ${bigint} NOT NULL,
        approver   TEXT NOT NULL,
        at         ${bigint} NOT NULL,
        PRIMARY KEY (request_id, approver)
      );
      CREATE TABLE events (
        seq  ${serial},
        at   ${bigint} NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE deliveries (
        source TEXT NOT NULL,
        id     TEXT NOT NULL,
        event  TEXT NOT NULL,
        at     ${bigint} NOT NULL,
        PRIMARY KEY (source, id)
      );
      ALTER TABLE audit ADD COLUMN token TEXT;
      ALTER TABLE audit ADD COLUMN source TEXT;
      ALTER TABLE audit ADD COLUMN result TEXT;
    `;
}

// 0004: per-PR previews of the team server, one record per pull request (the record as JSON).
function previews({ bigint }: Dialect): string {
  return `
      CREATE TABLE previews (
        number     ${bigint} PRIMARY KEY,
        data       TEXT NOT NULL,
        updated_at ${bigint} NOT NULL
      );
    `;
}

// 0005: a request may carry a coalescing key; while one with the key is unfinished, another with
// the same key is not inserted (the events of one multi-arch push, racing on two replicas).
function coalesce(): string {
  return `
      ALTER TABLE requests ADD COLUMN coalesce_key TEXT;
      CREATE UNIQUE INDEX requests_coalesce ON requests (coalesce_key)
        WHERE coalesce_key IS NOT NULL AND state NOT IN ('succeeded', 'failed', 'cancelled', 'rejected');
    `;
}

// 0006: a multi-target deploy is one batch: each request may wait for others of its batch (the
// services it comes after); how many of a batch run at once; and for one that never started
// because another of its batch did not succeed, which one and why (behind it, or stopped).
function batches({ bigint }: Dialect): string {
  return `
      ALTER TABLE requests ADD COLUMN batch_id ${bigint};
      ALTER TABLE requests ADD COLUMN batch_parallel INTEGER;
      ALTER TABLE requests ADD COLUMN blocked_by ${bigint};
      ALTER TABLE requests ADD COLUMN not_started TEXT;
      CREATE INDEX requests_batch ON requests (batch_id, state);
      CREATE TABLE request_waits (
        request_id ${bigint} NOT NULL,
        waits_for  ${bigint} NOT NULL,
        PRIMARY KEY (request_id, waits_for)
      );
      CREATE INDEX request_waits_for ON request_waits (waits_for);
    `;
}

function migrations(d: Dialect): readonly Migration[] {
  return [
    { id: '0001-init', sql: init(d) },
    { id: '0002-read-model', sql: readModel(d) },
    { id: '0003-server', sql: server(d) },
    { id: '0004-previews', sql: previews(d) },
    { id: '0005-request-coalesce', sql: coalesce() },
    { id: '0006-request-batches', sql: batches(d) },
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
