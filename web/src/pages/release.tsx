// A release as it runs: its steps appear as the server streams them, with their messages,
// ending in the outcome. A queued request waits here for the release it starts.
import { useEffect, useState } from 'preact/hooks';
import { get, subscribe } from '../api.ts';
import { DiffView } from '../confirm.tsx';
import type { QueuedRequest, Release, ReleaseDetail, Step } from '../types.ts';
import { ErrorBox, Health, Loading, Time, duration, useLoad } from '../ui.tsx';

interface StoreStep {
  seq: number;
  name: string;
  outcome: string;
  message: string;
  startedAt: number;
  endedAt?: number;
}

const viewOf = (s: StoreStep): Step => ({
  name: s.name,
  outcome: s.outcome,
  message: s.message,
  startedAt: new Date(s.startedAt).toISOString(),
  ...(s.endedAt !== undefined ? { ms: s.endedAt - s.startedAt } : {}),
});

export function ReleasePage({
  service,
  environment,
  id,
}: {
  service: string;
  environment: string;
  id: number;
}) {
  const path = `/api/v1/releases/${encodeURIComponent(service)}/${encodeURIComponent(environment)}/${id}`;
  const d = useLoad(() => get<ReleaseDetail>(path), [path]);
  const [release, setRelease] = useState<Release>();
  const [steps, setSteps] = useState<Step[]>([]);
  useEffect(() => {
    if (d.data) {
      setRelease(d.data.release);
      setSteps(d.data.release.steps ?? []);
    }
  }, [d.data]);
  useEffect(
    () =>
      subscribe((e) => {
        const k = e.data.release as { service?: string; environment?: string; id?: number } | undefined;
        if (!k || k.service !== service || k.environment !== environment || k.id !== id) return;
        if (e.type.startsWith('step.')) {
          const s = e.data.step as StoreStep;
          setSteps((old) => {
            const next = [...old];
            next[s.seq - 1] = viewOf(s);
            return next;
          });
        } else if (e.type === 'release.finished') d.reload();
      }),
    [service, environment, id],
  );
  // the stream delivers what happens after it is open: an end between the first read and then
  // would be missed, so a running release is also read again every 2 s until it ends
  const stillRunning = release?.outcome === 'running';
  useEffect(() => {
    if (!stillRunning) return;
    const t = setInterval(() => d.reload(), 2000);
    return () => clearInterval(t);
  }, [stillRunning, path]);
  if (d.error && !d.data) return <ErrorBox error={d.error} />;
  if (!release) return <Loading />;
  const running = release.outcome === 'running';
  return (
    <>
      <h1>
        Release #{release.id}: {release.kind} {service} {release.version} → {environment}
      </h1>
      <div class="summary">
        <Health state={release.outcome} />
        <span>
          started <Time at={release.startedAt} /> by {release.actor}
        </span>
        {release.durationMs !== undefined ? <span>took {duration(release.durationMs)}</span> : null}
        <a href={`#/service/${encodeURIComponent(service)}/${encodeURIComponent(environment)}`}>
          service page
        </a>
      </div>
      {release.message ? <p class="error">{release.message}</p> : null}
      <ol class="steps-live" aria-live="polite">
        {steps.map((s, i) => (
          <li key={i} class={`step ${s.outcome}`} data-step={s.name}>
            <Health state={s.outcome} /> <strong>{s.name}</strong> <span class="muted">{duration(s.ms)}</span>
            {s.message ? <div class="message">{s.message}</div> : null}
          </li>
        ))}
        {running ? <li class="muted">running…</li> : null}
      </ol>
      {d.data && d.data.diff.length > 0 ? (
        <>
          <h2>
            Changes from{' '}
            {d.data.previous ? `release #${d.data.previous.id} (${d.data.previous.version})` : 'nothing'}
          </h2>
          <DiffView diffs={d.data.diff.map((x) => ({ name: `${x.kind}/${x.name}`, diff: x.diff }))} />
        </>
      ) : null}
    </>
  );
}

export function RequestPage({ id }: { id: number }) {
  const [req, setReq] = useState<QueuedRequest>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    const look = () =>
      get<QueuedRequest>(`/api/v1/requests/${id}`).then(
        (r) => {
          if (!live) return;
          setReq(r);
          if (r.release)
            location.replace(
              `#/release/${encodeURIComponent(r.release.service)}/${encodeURIComponent(r.release.environment)}/${r.release.id}`,
            );
        },
        (e: unknown) => live && setError(e),
      );
    void look();
    const off = subscribe((e) => {
      const r = e.data.request as { id?: number } | undefined;
      const rel = e.data.release as { service?: string } | undefined;
      if (r?.id === id || (e.type === 'release.started' && rel)) void look();
    });
    const timer = setInterval(look, 1000);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [id]);
  if (error) return <ErrorBox error={error} />;
  if (!req) return <Loading />;
  return (
    <>
      <h1>
        Request #{req.id}: {req.kind} {req.service} → {req.environment}
      </h1>
      <p>
        <Health state={req.state === 'queued' ? 'progressing' : req.state} /> {req.state} {req.message}
      </p>
    </>
  );
}
