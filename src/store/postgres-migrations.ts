// Schema migrations of the PostgreSQL driver, by id, in order. Objects are kept as TEXT (not
// JSONB, which reorders keys): a release stores exactly what was applied.
import type { Migration } from './sqlite-migrations.ts';

export const postgresMigrations: readonly Migration[] = [
  {
    id: '0001-init',
    sql: `
      CREATE TABLE releases (
        id              BIGSERIAL PRIMARY KEY,
        service         TEXT NOT NULL,
        environment     TEXT NOT NULL,
        namespace       TEXT NOT NULL,
        version         TEXT NOT NULL,
        manifest_digest TEXT NOT NULL,
        kind            TEXT NOT NULL,
        source_release  BIGINT,
        actor           TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        message         TEXT NOT NULL DEFAULT '',
        started_at      BIGINT NOT NULL,
        ended_at        BIGINT,
        objects         TEXT NOT NULL,
        migrate_down    TEXT
      );
      CREATE INDEX releases_service_env ON releases (service, environment, id);
      CREATE INDEX releases_outcome ON releases (outcome);
      CREATE TABLE steps (
        release_id BIGINT NOT NULL REFERENCES releases (id),
        seq        INTEGER NOT NULL,
        name       TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        message    TEXT NOT NULL DEFAULT '',
        started_at BIGINT NOT NULL,
        ended_at   BIGINT,
        PRIMARY KEY (release_id, seq)
      );
      CREATE TABLE leases (
        key         TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        token       TEXT NOT NULL,
        release_id  BIGINT,
        acquired_at BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
      );
      CREATE TABLE audit (
        seq         BIGSERIAL PRIMARY KEY,
        at          BIGINT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        service     TEXT NOT NULL,
        environment TEXT NOT NULL,
        release_id  BIGINT,
        detail      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_service_env ON audit (service, environment, seq);
    `,
  },
];
