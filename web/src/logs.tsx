// A log tail of a service's pods in an environment (GET …/logs), loaded on request.
import { useState } from 'preact/hooks';
import { get, qs } from './api.ts';
import type { Pod } from './types.ts';
import { ErrorBox } from './ui.tsx';

interface LogAnswer {
  version: string;
  pods: string[];
  lines: { pod: string; container: string; line: string }[];
}

export function LogTail({ service, env, pods }: { service: string; env: string; pods: Pod[] }) {
  const [pod, setPod] = useState('');
  const [answer, setAnswer] = useState<LogAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    try {
      setAnswer(
        await get<LogAnswer>(
          `/api/v1/services/${encodeURIComponent(service)}/environments/${encodeURIComponent(env)}/logs${qs({ pod, tail: 100 })}`,
        ),
      );
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          Pod{' '}
          <select value={pod} onChange={(e) => setPod((e.target as HTMLSelectElement).value)}>
            <option value="">every pod of the release</option>
            {pods.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {answer ? 'Reload' : 'Show'} the last 100 lines
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {answer ? (
        <pre class="logs" aria-label="log lines">
          {answer.lines.length === 0
            ? 'no lines'
            : answer.lines.map((l) => `${l.pod}/${l.container}  ${l.line}`).join('\n')}
        </pre>
      ) : null}
    </>
  );
}
