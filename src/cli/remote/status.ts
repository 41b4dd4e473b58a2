// `ferry status` through the team server: the services × environments matrix, every page, as
// the rows a local status prints.
import { FerryError } from '../../errors.ts';
import type { StatusHealth, StatusRow } from '../../engine/actions/status.ts';
import type { ReleaseView } from '../../engine/views.ts';
import type { ApiClient } from './client.ts';

/** A row of `ferry status`; a remote one lacks what the server's matrix does not carry. */
export type StatusLine = Pick<
  StatusRow,
  'service' | 'environment' | 'liveVersion' | 'health' | 'ready' | 'drift' | 'release' | 'message'
> & { crons?: StatusRow['crons'] };

interface Cell {
  version?: string;
  health: string;
  ready: string;
  drift: string[];
  message?: string;
  release?: ReleaseView;
}

interface Matrix {
  environments: string[];
  services: { service: string; cells: Record<string, Cell> }[];
  next?: string;
}

export async function remoteStatus(
  client: ApiClient,
  services: readonly string[],
  environment: string | undefined,
): Promise<StatusLine[]> {
  const rows: StatusLine[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '500' });
    if (environment) q.set('environment', environment);
    if (cursor) q.set('cursor', cursor);
    const page = await client.call<Matrix>('GET', `/api/v1/services?${q}`);
    for (const s of page.services) {
      if (services.length > 0 && !services.includes(s.service)) continue;
      seen.add(s.service);
      for (const env of page.environments) {
        const c = s.cells[env];
        if (!c) continue;
        rows.push({
          service: s.service,
          environment: env,
          liveVersion: c.version,
          health: c.health as StatusHealth,
          ready: c.ready,
          drift: c.drift,
          message: c.message ?? '',
          release: c.release,
        });
      }
    }
    cursor = page.next;
  } while (cursor);
  const unknown = services.filter((s) => !seen.has(s));
  if (unknown.length > 0)
    throw new FerryError('E_UNKNOWN_SERVICE', `the server's project has no service ${unknown.join(', ')}`);
  return rows;
}
