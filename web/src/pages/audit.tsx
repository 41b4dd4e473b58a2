// The audit (admins): every mutating call and webhook, newest first, filtered by who and service.
import { useState } from 'preact/hooks';
import { get, qs } from '../api.ts';
import type { AuditEntry } from '../types.ts';
import { ErrorBox, Loading, Time, useLoad } from '../ui.tsx';

export function Audit() {
  const [actor, setActor] = useState('');
  const [service, setService] = useState('');
  const a = useLoad(
    () => get<{ entries: AuditEntry[] }>(`/api/v1/audit${qs({ actor, service, limit: 200 })}`),
    [actor, service],
  );
  return (
    <>
      <h1>Audit</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Who <input value={actor} onChange={(e) => setActor((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Service <input value={service} onChange={(e) => setService((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {a.error ? <ErrorBox error={a.error} /> : null}
      {!a.data ? (
        <Loading />
      ) : a.data.entries.length === 0 ? (
        <p class="muted">Nothing recorded{actor || service ? ' for this filter' : ' yet'}.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>when</th>
                <th>who</th>
                <th>what</th>
                <th>service</th>
                <th>environment</th>
                <th>detail</th>
                <th>from</th>
                <th>result</th>
              </tr>
            </thead>
            <tbody>
              {a.data.entries.map((e, i) => (
                <tr key={i}>
                  <td>
                    <Time at={e.at} />
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{e.service}</td>
                  <td>{e.environment}</td>
                  <td>{e.detail}</td>
                  <td>{e.source ?? ''}</td>
                  <td>{e.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
