// One service: per environment its pods, what runs, its history with steps and timings, the
// diff between any two releases, and — for a token allowed there — deploy, rollback and promote,
// each confirmed after the diff is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, qs, subscribe } from '../api.ts';
import { Confirm, DiffView } from '../confirm.tsx';
import { objectDiff } from '../diff.ts';
import { LogTail } from '../logs.tsx';
import type { Matrix, Me, QueuedRequest, Release, ReleaseDetail, ServiceEnv } from '../types.ts';
import { ErrorBox, Health, Loading, Time, duration, useLoad } from '../ui.tsx';

export function canAct(me: Me, env: string): boolean {
  if (me.role === 'admin') return true;
  if (me.role !== 'deployer') return false;
  return me.environments.length === 0 || me.environments.includes(env);
}

const releasePath = (r: Release) =>
  `/api/v1/releases/${encodeURIComponent(r.service)}/${encodeURIComponent(r.environment)}/${r.id}`;

async function diffBetween(a: Release | undefined, b: Release) {
  const [x, y] = await Promise.all([
    a ? get<ReleaseDetail>(releasePath(a)) : Promise.resolve(undefined),
    get<ReleaseDetail>(releasePath(b)),
  ]);
  return objectDiff(x?.objects ?? [], y.objects);
}

type Pending =
  | { kind: 'rollback'; to: Release; current: Release | undefined }
  | { kind: 'deploy'; version: string; current: Release | undefined }
  | { kind: 'promote'; version: string; current: Release | undefined; from: Release };

interface DryRun {
  version: string;
  changes: { kind: string; name: string; action: string; diff: string; drift: string[] }[];
}

/** What a deploy of `version` would change on the cluster: the server's dry-run (the Diff action). */
async function dryRun(service: string, env: string, version: string) {
  const r = await get<DryRun>(
    `/api/v1/services/${encodeURIComponent(service)}/environments/${encodeURIComponent(env)}/diff${qs({ version })}`,
  );
  return r.changes
    .filter((c) => c.action !== 'unchanged')
    .map((c) => ({ name: `${c.kind}/${c.name} (${c.action})`, diff: c.diff }));
}

/** Queues the promotion of what `from` last released; a refusal of the engine is said here. */
async function promote(service: string, from: Release, to: string): Promise<QueuedRequest> {
  const r = await post<{ requests: QueuedRequest[]; skipped: string[] }>('/api/v1/promotions', {
    services: [service],
    from: from.environment,
    to,
  });
  const q = r.requests[0];
  if (!q) throw new Error(`nothing to promote: ${r.skipped.join('; ') || 'no request was queued'}`);
  return q;
}

function ActionDialog({
  p,
  env,
  service,
  onClose,
}: {
  p: Pending;
  env: string;
  service: string;
  onClose: () => void;
}) {
  // a rollback re-applies a recorded release: its objects against the current one's; a deploy
  // or a promotion renders the version now: the server's dry-run against the live cluster
  const d = useLoad(
    () => (p.kind === 'rollback' ? diffBetween(p.current, p.to) : dryRun(service, env, p.version)),
    [],
  );
  const what =
    p.kind === 'rollback'
      ? `Roll ${service} in ${env} back to release ${p.to.id} (${p.to.version})`
      : p.kind === 'promote'
        ? `Promote ${service} ${p.version} from ${p.from.environment} to ${env}`
        : `Deploy ${service} ${p.version} to ${env}`;
  return (
    <Confirm
      title={what}
      action={p.kind === 'rollback' ? 'Roll back' : p.kind === 'promote' ? 'Promote' : 'Deploy'}
      ready={d.data !== undefined}
      onClose={onClose}
      onConfirm={async () => {
        const q =
          p.kind === 'rollback'
            ? await post<QueuedRequest>('/api/v1/rollbacks', {
                service,
                environment: env,
                to: p.to.id,
                confirm: true,
              })
            : p.kind === 'promote'
              ? await promote(service, p.from, env)
              : await post<QueuedRequest>('/api/v1/deploys', {
                  service,
                  environment: env,
                  version: p.version,
                  confirm: true,
                });
        location.hash = `#/request/${q.id}`;
      }}
    >
      <p>
        version <code>{p.current?.version ?? 'none'}</code> →{' '}
        <code>{p.kind === 'rollback' ? p.to.version : p.version}</code>
      </p>
      {d.error ? <ErrorBox error={d.error} /> : d.data ? <DiffView diffs={d.data} /> : <Loading />}
    </Confirm>
  );
}

function Environment({
  me,
  service,
  env,
  others,
}: {
  me: Me;
  service: string;
  env: string;
  others: Matrix | undefined;
}) {
  const s = useLoad(
    () =>
      get<ServiceEnv>(
        `/api/v1/services/${encodeURIComponent(service)}/environments/${encodeURIComponent(env)}`,
      ),
    [service, env],
  );
  const reload = useRef(s.reload);
  reload.current = s.reload;
  useEffect(
    () =>
      subscribe((e) => {
        const r = (e.data.release ?? {}) as { service?: string; environment?: string };
        if (e.type.startsWith('release.') && r.service === service && r.environment === env) reload.current();
      }),
    [service, env],
  );
  const [pending, setPending] = useState<Pending>();
  const [version, setVersion] = useState('');
  const [pair, setPair] = useState<[string, string]>(['', '']);
  const diff = useLoad(async () => {
    const rs = s.data?.releases ?? [];
    const a = rs.find((r) => String(r.id) === pair[0]);
    const b = rs.find((r) => String(r.id) === pair[1]);
    return b ? diffBetween(a, b) : undefined;
  }, [pair[0], pair[1]]);
  if (s.error && !s.data) return <ErrorBox error={s.error} />;
  if (!s.data) return <Loading />;
  const data = s.data;
  const current = data.releases.find((r) => r.outcome === 'succeeded');
  const allowed = canAct(me, env);
  const rollbackTargets = data.releases.filter((r) => r.outcome === 'succeeded' && r.id !== current?.id);
  const promoteFrom = Object.entries(others?.services[0]?.cells ?? {})
    .filter(
      ([e, c]) =>
        e !== env && c.release && c.release.outcome === 'succeeded' && c.release.version !== current?.version,
    )
    .map(([, c]) => c.release!);
  return (
    <>
      <div class="summary">
        <span>
          running <strong class="version">{data.status?.liveVersion ?? current?.version ?? 'nothing'}</strong>
        </span>
        <Health state={data.status?.health ?? 'unknown'} />
        <span>ready {data.status?.ready ?? '–'}</span>
        {data.status?.drift?.length ? (
          <span class="drift">≠ drift: {data.status.drift.join(', ')}</span>
        ) : null}
        <span class="muted">namespace {data.namespace}</span>
      </div>
      {allowed ? (
        <div class="actions" aria-label="actions">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (version.trim()) setPending({ kind: 'deploy', version: version.trim(), current });
            }}
          >
            <label>
              Version{' '}
              <input
                value={version}
                required
                onInput={(e) => setVersion((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit">Deploy…</button>
          </form>
          {rollbackTargets.slice(0, 1).map((r) => (
            <button key={r.id} onClick={() => setPending({ kind: 'rollback', to: r, current })}>
              Roll back to {r.version}…
            </button>
          ))}
          {promoteFrom.map((r) => (
            <button
              key={r.environment}
              onClick={() => setPending({ kind: 'promote', version: r.version, current, from: r })}
            >
              Promote {r.version} from {r.environment}…
            </button>
          ))}
        </div>
      ) : null}
      {pending ? (
        <ActionDialog p={pending} env={env} service={service} onClose={() => setPending(undefined)} />
      ) : null}
      <h3>Pods</h3>
      {data.pods.length === 0 ? (
        <p class="muted">No pods.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>pod</th>
                <th>status</th>
                <th>ready</th>
                <th>restarts</th>
                <th>version</th>
                <th>age</th>
              </tr>
            </thead>
            <tbody>
              {data.pods.map((p) => (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td>{p.phase}</td>
                  <td>{p.ready ? 'yes' : 'no'}</td>
                  <td>{p.restarts}</td>
                  <td>{p.version ?? '–'}</td>
                  <td>{p.startedAt ? <Time at={p.startedAt} /> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Log tail</h3>
      <LogTail service={service} env={env} pods={data.pods} />
      <h3>History</h3>
      {data.releases.length === 0 ? (
        <p class="muted">
          No releases yet:{' '}
          <code>
            ferry deploy {service}:1.0.0 --env {env}
          </code>
        </p>
      ) : (
        <div class="table-wrap">
          <table class="history">
            <thead>
              <tr>
                <th>release</th>
                <th>kind</th>
                <th>version</th>
                <th>outcome</th>
                <th>started</th>
                <th>took</th>
                <th>by</th>
                <th>steps</th>
              </tr>
            </thead>
            <tbody>
              {data.releases.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`#/release/${encodeURIComponent(service)}/${encodeURIComponent(env)}/${r.id}`}>
                      #{r.id}
                    </a>
                  </td>
                  <td>{r.kind}</td>
                  <td>{r.version}</td>
                  <td>
                    <Health state={r.outcome} />
                  </td>
                  <td>
                    <Time at={r.startedAt} />
                  </td>
                  <td>{duration(r.durationMs)}</td>
                  <td>{r.actor}</td>
                  <td class="steps">
                    {(r.steps ?? [])
                      .filter((x) => x.outcome !== 'skipped')
                      .map(
                        (x) =>
                          `${x.name}${x.outcome === 'succeeded' ? '' : ` (${x.outcome})`} ${duration(x.ms)}`,
                      )
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.releases.length > 1 ? (
        <>
          <h3>Compare two releases</h3>
          <form class="filters" onSubmit={(e) => e.preventDefault()}>
            {(['from', 'to'] as const).map((label, i) => (
              <label key={label}>
                {label}{' '}
                <select
                  value={pair[i]}
                  onChange={(e) => {
                    const v = (e.target as HTMLSelectElement).value;
                    setPair(i === 0 ? [v, pair[1]] : [pair[0], v]);
                  }}
                >
                  <option value="">–</option>
                  {data.releases.map((r) => (
                    <option key={r.id} value={String(r.id)}>
                      #{r.id} {r.version} ({r.outcome})
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </form>
          {diff.error ? <ErrorBox error={diff.error} /> : diff.data ? <DiffView diffs={diff.data} /> : null}
        </>
      ) : null}
    </>
  );
}

export function ServicePage({
  me,
  service,
  environment,
}: {
  me: Me;
  service: string;
  environment: string | undefined;
}) {
  const m = useLoad(() => get<Matrix>(`/api/v1/services${qs({ search: service, limit: 500 })}`), [service]);
  const row = m.data?.services.find((r) => r.service === service);
  const envs = m.data ? m.data.environments.filter((e) => row?.cells[e]) : [];
  const env = environment ?? envs[0];
  const only = m.data && row ? { ...m.data, services: [row] } : undefined;
  return (
    <>
      <h1>{service}</h1>
      {m.error ? <ErrorBox error={m.error} /> : null}
      {m.data && !row ? <p>No service {service} in the project.</p> : null}
      <nav class="tabs" aria-label="environments">
        {envs.map((e) => (
          <a
            key={e}
            href={`#/service/${encodeURIComponent(service)}/${encodeURIComponent(e)}`}
            aria-current={e === env ? 'page' : undefined}
          >
            {e}
          </a>
        ))}
      </nav>
      {env && row ? (
        <Environment me={me} service={service} env={env} others={only} />
      ) : m.data ? null : (
        <Loading />
      )}
    </>
  );
}
