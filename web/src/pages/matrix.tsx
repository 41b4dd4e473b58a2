// The matrix: rows are services, columns environments; each cell is version, health, age of the
// last release and drift. Rows whose versions differ are marked. Search and state filters and the
// paging run on the server; a finished release reloads the page shown, and a cell whose live
// health, version or drift changes (the server's status.changed event) changes in place (cells
// keep their size).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, qs, subscribe } from '../api.ts';
import type { Cell, Matrix, Me } from '../types.ts';
import { ErrorBox, Health, Loading, Time, useLoad } from '../ui.tsx';

const PAGE = 50;
const STATES = ['', 'healthy', 'progressing', 'degraded', 'failed', 'missing', 'differs'];

/** A cell's live state as a status.changed event carries it. */
interface LiveCell {
  service: string;
  environment: string;
  version?: string;
  health: string;
  ready: string;
  drift: string[];
  message?: string;
}

function withLive(cell: Cell | undefined, l: LiveCell | undefined): Cell | undefined {
  if (!cell || !l) return cell;
  const { version, health, ready, drift, message } = l;
  return { ...cell, version, health, ready, drift, message };
}

function CellView({ service, env, cell }: { service: string; env: string; cell: Cell | undefined }) {
  if (!cell) return <td class="cell na">not in {env}</td>;
  return (
    <td class="cell">
      <a href={`#/service/${encodeURIComponent(service)}/${encodeURIComponent(env)}`}>
        <span class="version">{cell.version ?? cell.release?.version ?? 'not deployed'}</span>
        <Health state={cell.health} />
        <span class="age">
          {cell.release ? <Time at={cell.release.endedAt ?? cell.release.startedAt} /> : '–'}
        </span>
        {cell.drift.length > 0 ? (
          <span class="drift" title={`live differs from the release: ${cell.drift.join(', ')}`}>
            ≠ drift
          </span>
        ) : null}
      </a>
    </td>
  );
}

export function MatrixPage({ me: _me }: { me: Me }) {
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [team, setTeam] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const m = useLoad(
    () => get<Matrix>(`/api/v1/services${qs({ search, team, state, cursor, limit: PAGE })}`),
    [search, team, state, cursor],
  );
  const reload = useRef(m.reload);
  reload.current = m.reload;
  // the live state of cells the server's status cache saw change since the page was read
  const [live, setLive] = useState<Record<string, LiveCell>>({});
  useEffect(() => setLive({}), [m.data]);
  useEffect(() => {
    let timer: number | undefined;
    return subscribe((e) => {
      if (e.type === 'status.changed') {
        const cells = (e.data.cells ?? []) as LiveCell[];
        setLive((old) => {
          const next = { ...old };
          for (const c of cells) next[`${c.service}\u0000${c.environment}`] = c;
          return next;
        });
        return;
      }
      if (e.type !== 'release.finished' && e.type !== 'release.started') return;
      clearTimeout(timer);
      timer = setTimeout(() => reload.current(), 300) as unknown as number;
    });
  }, []);
  const searchBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.key === '/' && document.activeElement?.tagName !== 'INPUT') {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);
  const data = m.data;
  const deployed = data?.services.some((r) => Object.values(r.cells).some((c) => c.release)) ?? false;
  return (
    <>
      <h1>What runs where</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search{' '}
          <input
            ref={searchBox}
            type="search"
            placeholder="service name  ( / )"
            value={search}
            onInput={(e) => {
              setSearch((e.target as HTMLInputElement).value);
              setCursors([undefined]);
            }}
          />
        </label>
        {data?.teams.length || team ? (
          <label>
            Team{' '}
            <select
              value={team}
              onChange={(e) => {
                setTeam((e.target as HTMLSelectElement).value);
                setCursors([undefined]);
              }}
            >
              <option value="">any</option>
              {(data?.teams ?? []).map((t) => (
                <option value={t} key={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          State{' '}
          <select
            value={state}
            onChange={(e) => {
              setState((e.target as HTMLSelectElement).value);
              setCursors([undefined]);
            }}
          >
            {STATES.map((s) => (
              <option value={s} key={s}>
                {s === '' ? 'any' : s === 'differs' ? 'versions differ' : s}
              </option>
            ))}
          </select>
        </label>
        {data?.liveAt ? (
          <span class="muted">
            live status read <Time at={data.liveAt} />
          </span>
        ) : null}
      </form>
      {m.error ? <ErrorBox error={m.error} /> : null}
      {!data ? (
        <Loading />
      ) : (
        <>
          {!deployed && !search && !team && !state ? (
            <div class="empty">
              <h2>Nothing deployed yet</h2>
              <p>Deploy a first service, then it shows here:</p>
              <pre>
                ferry deploy {data.services[0]?.service ?? 'web'}:1.0.0 --env {data.environments[0] ?? 'test'}
              </pre>
            </div>
          ) : null}
          <div class="table-wrap">
            <table class="matrix">
              <caption class="muted">
                {data.total} services × {data.environments.length} environments
              </caption>
              <thead>
                <tr>
                  <th scope="col">service</th>
                  {data.environments.map((e) => (
                    <th scope="col" key={e}>
                      {e}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.services.map((r) => (
                  <tr key={r.service} class={r.differs ? 'differs' : undefined}>
                    <th scope="row">
                      <a href={`#/service/${encodeURIComponent(r.service)}`}>{r.service}</a>
                      {r.team ? <span class="team muted">{r.team}</span> : null}
                      {r.differs ? (
                        <span class="differs-tag" title="the versions differ between environments">
                          ≠ versions differ
                        </span>
                      ) : null}
                    </th>
                    {data.environments.map((e) => (
                      <CellView
                        key={e}
                        service={r.service}
                        env={e}
                        cell={withLive(r.cells[e], live[`${r.service}\u0000${e}`])}
                      />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="pages of services">
            <button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              ← Previous
            </button>
            <span class="muted">page {cursors.length}</span>
            <button disabled={!data.next} onClick={() => setCursors([...cursors, data.next])}>
              Next →
            </button>
          </nav>
        </>
      )}
    </>
  );
}
