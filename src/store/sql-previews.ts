// The server's preview records on SQL: one row per pull request, the record as JSON (read back
// through its state's closed list), written whole by the one worker that handles that PR.
import { decodeEnum, type Row } from './sql-rows.ts';
import type { SqlConn } from './sql-dialect.ts';
import { PREVIEW_STATES, type PreviewRecord } from './server-types.ts';

function toPreview(r: Row): PreviewRecord {
  const p = JSON.parse(String(r.data)) as PreviewRecord;
  return { ...p, state: decodeEnum(PREVIEW_STATES, p.state, 'a preview state') };
}

export async function putPreview(db: SqlConn, p: PreviewRecord): Promise<void> {
  // undefined fields are left out of the JSON and read back as undefined
  await db.run(
    `INSERT INTO previews (number, data, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (number) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    [p.number, JSON.stringify(p), p.updatedAt],
  );
}

export async function getPreview(db: SqlConn, number: number): Promise<PreviewRecord | undefined> {
  const [row] = await db.all('SELECT data FROM previews WHERE number = $1', [number]);
  return row ? toPreview(row) : undefined;
}

export async function listPreviews(db: SqlConn): Promise<PreviewRecord[]> {
  return (await db.all('SELECT data FROM previews ORDER BY number')).map(toPreview);
}

export async function deletePreview(db: SqlConn, number: number): Promise<boolean> {
  return (await db.run('DELETE FROM previews WHERE number = $1', [number])) > 0;
}
