// The pull-request previews: PR, branch, state, version, age, time left, and each service with
// its URL and health. A deployer of the environment previews copy may remove one (after a
// confirmation); a viewer sees no buttons. Updates when a preview request ends.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, get, subscribe } from '../api.ts';
import { Confirm } from '../confirm.tsx';
import type { Me, Preview, PreviewServices } from '../types.ts';
import { ErrorBox, Health, Loading, Time, useLoad } from '../ui.tsx';
import { canAct } from './service.tsx';

const PREVIEW_STATE: Record<string, string> = {
  waiting: 'progressing',
  deploying: 'running',
  ready: 'healthy',
  failed: 'failed',
  refused: 'cancelled',
};

/** The list, and what runs in each preview (one call per preview: there are at most maxCount). */
async function loadPreviews(): Promise<{ preview: Preview; services: PreviewServices | Error }[]> {
  const { previews } = await get<{ previews: Preview[] }>('/api/v1/previews');
  return Promise.all(
    previews.map(async (preview) => ({
      preview,
      services: await get<PreviewServices>(`/api/v1/previews/${preview.number}/services`).catch(
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
      ),
    })),
  );
}

export function PreviewsPage({ me }: { me: Me }) {
  const l = useLoad(loadPreviews, []);
  const reload = useRef(l.reload);
  reload.current = l.reload;
  useEffect(
    () =>
      subscribe((e) => {
        const r = e.data.request as { kind?: string } | undefined;
        const rel = e.data.release as { kind?: string } | undefined;
        if (
          (e.type === 'request.finished' && r?.kind === 'preview') ||
          (e.type === 'release.finished' && rel?.kind === 'preview')
        )
          reload.current();
      }),
    [],
  );
  const [removing, setRemoving] = useState<Preview>();
  const [queued, setQueued] = useState<Record<number, number>>({});
  if (l.error && !l.data) return <ErrorBox error={l.error} />;
  if (!l.data) return <Loading />;
  return (
    <>
      <h1>Previews</h1>
      {l.data.length === 0 ? (
        <p class="muted">
          No previews. A pull request gets one when GitHub sends its event to the server's webhook (see
          docs/previews.md).
        </p>
      ) : (
        <div class="table-wrap">
          <table class="previews">
            <thead>
              <tr>
                <th>pull request</th>
                <th>branch</th>
                <th>state</th>
                <th>version</th>
                <th>age</th>
                <th>removed</th>
                <th>services</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {l.data.map(({ preview: p, services: s }) => (
                <tr key={p.number} data-preview={p.number}>
                  <th scope="row">
                    #{p.number} <span class="muted">{p.repository}</span>
                  </th>
                  <td>
                    {p.branch} <span class="muted">{p.headSha.slice(0, 7)}</span>
                  </td>
                  <td>
                    <Health state={PREVIEW_STATE[p.state] ?? 'unknown'} label={p.state} />
                    {p.message ? <div class="muted">{p.message}</div> : null}
                  </td>
                  <td>{p.version ?? '–'}</td>
                  <td>
                    <Time at={p.createdAt} />
                  </td>
                  <td>{p.expiresAt ? <Time at={p.expiresAt} /> : '–'}</td>
                  <td>
                    {s instanceof Error ? (
                      <ErrorBox error={s} />
                    ) : (
                      <ul class="preview-services">
                        {s.services.map((x) => (
                          <li key={x.service} data-service={x.service}>
                            <strong>{x.service}</strong> <Health state={x.health} />{' '}
                            {x.url ? (
                              <a href={x.url} target="_blank" rel="noreferrer">
                                {x.url}
                              </a>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    {queued[p.number] !== undefined ? (
                      <a href={`#/request/${queued[p.number]}`}>removal queued</a>
                    ) : !(s instanceof Error) && canAct(me, s.from) ? (
                      <button onClick={() => setRemoving(p)}>Remove…</button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removing ? (
        <Confirm
          title={`Remove the preview of #${removing.number}?`}
          action="Remove"
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            const q = await api<{ id: number }>('DELETE', `/api/v1/previews/${removing.number}`);
            setQueued((old) => ({ ...old, [removing.number]: q.id }));
          }}
        >
          <p>
            Deletes its objects and database in namespace <code>{removing.namespace}</code>
            {removing.branch ? ` (branch ${removing.branch})` : ''}.
          </p>
        </Confirm>
      ) : null}
    </>
  );
}
