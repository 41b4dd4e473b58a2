// A weekly chart (uPlot): one series over the weeks of the window.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** in seconds, as uPlot's time scale counts */
const HALF_WEEK = 3.5 * 86_400;

export function WeekChart(props: {
  title: string;
  weeks: number[];
  values: (number | null)[];
  unit: string;
  bars?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(260, Math.min(560, el.clientWidth || 560));
    const plot = new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        // half a week of room on each side, so the first and last bars show whole
        scales: { x: { time: true, range: (_u, lo, hi) => [lo - HALF_WEEK, hi + HALF_WEEK] } },
        axes: [{}, { label: props.unit, size: 50 }],
        series: [
          {},
          {
            label: props.title,
            stroke: '#2563eb',
            fill: props.bars ? 'rgba(37,99,235,0.35)' : undefined,
            width: 2,
            ...(props.bars ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } } : {}),
          },
        ],
      },
      [props.weeks.map((w) => w / 1000 + HALF_WEEK), props.values],
      el,
    );
    return () => plot.destroy();
  }, [props.weeks.join(), props.values.join()]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div
        ref={ref}
        role="img"
        aria-label={`${props.title}: ${props.values.map((v) => v ?? '–').join(', ')}`}
      />
    </figure>
  );
}
