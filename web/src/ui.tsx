// Small pieces every page uses: relative times with the absolute one on hover, health as icon +
// word + colour, DORA bands, loading and error states, and a hook that loads data.
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export function relative(iso: string | number, now = Date.now()): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  const s = Math.round((now - t) / 1000);
  const a = Math.abs(s);
  const [n, u] =
    a < 60 ? [a, 's'] : a < 3600 ? [a / 60, 'm'] : a < 86400 ? [a / 3600, 'h'] : [a / 86400, 'd'];
  const text = `${Math.floor(n)}${u}`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

export function Time({ at }: { at: string | number | undefined }) {
  if (at === undefined) return <span>–</span>;
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}>
      {relative(at)}
    </time>
  );
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)}h`;
  return `${(ms / 86_400_000).toFixed(1)}d`;
}

const HEALTH: Record<string, [string, string]> = {
  healthy: ['✓', 'ok'],
  succeeded: ['✓', 'ok'],
  progressing: ['◐', 'busy'],
  running: ['◐', 'busy'],
  degraded: ['!', 'warn'],
  failed: ['✗', 'bad'],
  interrupted: ['✗', 'bad'],
  cancelled: ['⊘', 'warn'],
  missing: ['○', 'none'],
  skipped: ['–', 'none'],
  unknown: ['?', 'none'],
};

/** A state as icon + word + colour: readable without the colour. */
export function Health({ state, label }: { state: string; label?: string }) {
  const [icon, tone] = HEALTH[state] ?? ['?', 'none'];
  return (
    <span class={`health ${tone}`}>
      <span aria-hidden="true">{icon}</span> {label ?? state}
    </span>
  );
}

export function BandTag({ band }: { band: string | null }) {
  return <span class={`band ${band ?? 'none'}`}>{band ?? 'no data'}</span>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const e = error as Error & { hint?: string; code?: string };
  return (
    <div class="error" role="alert">
      <strong>{e instanceof ApiError ? `${e.status} ${e.code}` : 'error'}</strong>: {e.message}
      {e.hint ? <div class="hint">{e.hint}</div> : null}
    </div>
  );
}

export function Loading() {
  return <p class="muted">Loading…</p>;
}

export type Load<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** Loads `fn()` when `deps` change; `reload()` loads again keeping what is shown meanwhile. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Load<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** Shows a page's render failure as an error in its place (instead of a page frozen at its last
 * good render); the next page (a new key) starts clean. */
export class Guard extends Component<{ children: ComponentChildren }, { error?: unknown }> {
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    return this.state.error !== undefined ? <ErrorBox error={this.state.error} /> : this.props.children;
  }
}
