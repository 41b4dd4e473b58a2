// Delivery: the DORA figures of an environment (GET /api/v1/dora, the numbers `ferry dora`
// prints), with their bands, per service, and week by week in charts.
import { useState } from 'preact/hooks';
import { get, qs } from '../api.ts';
import { WeekChart } from '../chart.tsx';
import type { DoraFigures, DoraReport, Matrix } from '../types.ts';
import { BandTag, ErrorBox, Loading, duration, useLoad } from '../ui.tsx';

const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 100)}%`);

function Figure(p: {
  id: string;
  name: string;
  value: string;
  raw: number | null;
  detail: string;
  band?: string | null;
}) {
  return (
    <div class="figure" data-figure={p.id} data-value={p.raw === null ? '' : String(p.raw)}>
      <div class="name">{p.name}</div>
      <div class="value">{p.value}</div>
      <div class="muted">{p.detail}</div>
      {p.band !== undefined ? <BandTag band={p.band} /> : <span class="band none">no bands</span>}
    </div>
  );
}

function Figures({ f }: { f: DoraFigures }) {
  return (
    <div class="figures">
      <Figure
        id="deployments"
        name="Deployment frequency"
        value={`${f.frequency.perWeek.toFixed(1)} / week`}
        raw={f.frequency.deployments}
        detail={`${f.frequency.deployments} deployments`}
        band={f.frequency.band}
      />
      <Figure
        id="lead-time"
        name="Change lead time"
        value={duration(f.leadTime.medianMs)}
        raw={f.leadTime.medianMs}
        detail={
          f.leadTime.count
            ? `median; p90 ${duration(f.leadTime.p90Ms)}; ${f.leadTime.count} changes`
            : 'no commit times recorded'
        }
        band={f.leadTime.band}
      />
      <Figure
        id="fail-rate"
        name="Change fail rate"
        value={pct(f.changeFailRate.rate)}
        raw={f.changeFailRate.rate}
        detail={`${f.changeFailRate.failed} of ${f.changeFailRate.changes} changes`}
        band={f.changeFailRate.band}
      />
      <Figure
        id="recovery"
        name="Recovery time"
        value={duration(f.recovery.medianMs)}
        raw={f.recovery.medianMs}
        detail={`median; ${f.recovery.count} recovered, ${f.recovery.open} open`}
        band={f.recovery.band}
      />
      <Figure
        id="rework"
        name="Rework rate"
        value={pct(f.reworkRate.rate)}
        raw={f.reworkRate.rate}
        detail={`${f.reworkRate.rework} of ${f.reworkRate.releases} releases`}
      />
    </div>
  );
}

export function Delivery({ environment }: { environment: string | undefined }) {
  const [since, setSince] = useState('30d');
  const envs = useLoad(() => get<Matrix>('/api/v1/services?limit=1'), []);
  const r = useLoad(() => get<DoraReport>(`/api/v1/dora${qs({ environment, since })}`), [environment, since]);
  const d = r.data;
  return (
    <>
      <h1>Delivery{d ? ` in ${d.environment}` : ''}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Environment{' '}
          <select
            value={environment ?? d?.environment ?? ''}
            onChange={(e) =>
              (location.hash = `#/delivery/${encodeURIComponent((e.target as HTMLSelectElement).value)}`)
            }
          >
            {(envs.data?.environments ?? (d ? [d.environment] : [])).map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          Window{' '}
          <select value={since} onChange={(e) => setSince((e.target as HTMLSelectElement).value)}>
            {['7d', '30d', '90d'].map((s) => (
              <option key={s} value={s}>
                last {s.replace('d', ' days')}
              </option>
            ))}
          </select>
        </label>
      </form>
      {r.error ? <ErrorBox error={r.error} /> : null}
      {!d ? (
        <Loading />
      ) : (
        <>
          <Figures f={d.overall} />
          {d.overall.reworkRate.releases === 0 ? (
            <div class="empty">
              <p>
                No releases in {d.environment} in this window. Record the commit with each deploy for lead
                times:
              </p>
              <pre>ferry deploy web:1.0.0 --env {d.environment} --commit $GIT_SHA</pre>
            </div>
          ) : null}
          <div class="charts">
            <WeekChart
              title="Deployments per week"
              unit="deploys"
              bars
              weeks={d.weeks.map((w) => w.from)}
              values={d.weeks.map((w) => w.deployments)}
            />
            <WeekChart
              title="Lead time (median, hours)"
              unit="hours"
              weeks={d.weeks.map((w) => w.from)}
              values={d.weeks.map((w) =>
                w.leadTimeMedianMs === null ? null : w.leadTimeMedianMs / 3_600_000,
              )}
            />
            <WeekChart
              title="Failed changes per week"
              unit="failed"
              bars
              weeks={d.weeks.map((w) => w.from)}
              values={d.weeks.map((w) => w.failed)}
            />
          </div>
          {d.services.length > 0 ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>service</th>
                    <th>deploys</th>
                    <th>lead time</th>
                    <th>fail rate</th>
                    <th>recovery</th>
                    <th>rework</th>
                  </tr>
                </thead>
                <tbody>
                  {d.services.map((s) => (
                    <tr key={s.service}>
                      <td>
                        <a
                          href={`#/service/${encodeURIComponent(s.service)}/${encodeURIComponent(d.environment)}`}
                        >
                          {s.service}
                        </a>
                      </td>
                      <td>{s.frequency.deployments}</td>
                      <td>{duration(s.leadTime.medianMs)}</td>
                      <td>{pct(s.changeFailRate.rate)}</td>
                      <td>{duration(s.recovery.medianMs)}</td>
                      <td>{pct(s.reworkRate.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
    </>
  );
}
