// A release as it runs: its steps appear as the server streams them, with their messages,
// ending in the outcome. A queued request waits here for the release it starts.
import { useEffect, useState } from 'preact/hooks';
import { get, subscribe } from '../api.ts';
import { DiffView } from '../confirm.tsx';
import { mergeSteps, stepOf, type StreamStep } from '../steps.ts';
import type { QueuedRequest, ReleaseDetail, Step } from '../types.ts';
import { ErrorBox, Health, Loading, Time, duration, useLoad } from '../ui.tsx';

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
  // step events streamed since the page opened, by step number; merged with the last read
  const [streamed, setStreamed] = useState<ReadonlyMap<number, Step>>(new Map());
  useEffect(() => setStreamed(new Map()), [path]);
  useEffect(
    () =>
      subscribe((e) => {
        const k = e.data.release as { service?: string; environment?: string; id?: number } | undefined;
        if (!k || k.service !== service || k.environment !== environment || k.id !== id) return;
        if (e.type.startsWith('step.')) {
          const s = e.data.step as StreamStep;
          setStreamed((old) => new Map(old).set(s.seq, stepOf(s)));
        } else if (e.type === 'release.finished') d.reload();
      }),
    [service, environment, id],
  );
  const release = d.data?.release;
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
  const steps = mergeSteps(release.steps ?? [], streamed);
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
