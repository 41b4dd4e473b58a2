// A confirmation that shows what will change before anything is asked of the server.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from './ui.tsx';

export function DiffView({ diffs }: { diffs: { name: string; diff: string }[] }) {
  if (diffs.length === 0) return <p class="muted">No object changes.</p>;
  return (
    <div class="diffs">
      {diffs.map((d) => (
        <details key={d.name} open={diffs.length <= 3}>
          <summary>{d.name}</summary>
          <pre class="diff">
            {d.diff
              .split('\n')
              .slice(
                Math.max(
                  0,
                  d.diff.split('\n').findIndex((l) => l.startsWith('@@')),
                ),
              )
              .map((line, i) => (
                <span
                  key={i}
                  class={
                    line.startsWith('+')
                      ? 'add'
                      : line.startsWith('-')
                        ? 'del'
                        : line.startsWith('@')
                          ? 'hunk'
                          : undefined
                  }
                >
                  {line}
                  {'\n'}
                </span>
              ))}
          </pre>
        </details>
      ))}
    </div>
  );
}

export function Confirm(props: {
  title: string;
  action: string;
  children: ComponentChildren;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** false while what the confirmation shows is still loading: the action waits for it */
  ready?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} onClose={props.onClose} aria-labelledby="confirm-title">
      <h2 id="confirm-title">{props.title}</h2>
      {props.children}
      {error ? <ErrorBox error={error} /> : null}
      <div class="buttons">
        <button type="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy || props.ready === false}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm();
              ref.current?.close();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          {props.action}
        </button>
      </div>
    </dialog>
  );
}
