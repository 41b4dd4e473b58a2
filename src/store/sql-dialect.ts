// What a SQL dialect gives the shared SQL driver: a connection, transactions, row locking and
// its migrations (sqlite.ts, postgres.ts).
import type { Row } from './sql-rows.ts';
import type { Migration } from './sql-schema.ts';

/** Statements run on one connection (inside a transaction, or autocommitted). */
export interface SqlConn {
  /** rows of a SELECT or of a statement with RETURNING */
  all(sql: string, args?: readonly unknown[]): Promise<Row[]>;
  /** the number of rows a statement changed */
  run(sql: string, args?: readonly unknown[]): Promise<number>;
}

export interface SqlDialect extends SqlConn {
  readonly name: string;
  readonly migrations: readonly Migration[];
  /** appended to a SELECT that must lock the rows it reads until the transaction ends */
  readonly forUpdate: string;
  /** runs `fn` in one write transaction; a throw rolls it back */
  transaction<T>(fn: (c: SqlConn) => Promise<T>): Promise<T>;
  /** after ids were inserted explicitly: make the next generated id larger than `id` */
  advanceIds?(id: number): Promise<void>;
  /** applies pending migrations by id, one migrator at a time */
  migrate(): Promise<readonly string[]>;
  close(): Promise<void>;
}
