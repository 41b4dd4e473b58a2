// The `helm` render target (`ferry render --target helm --env <env>`): the chart files of each
// service for that one environment, as documents {path, content}. `ferry chart` writes the whole
// chart with values.<env>.yaml for every environment (Preply's layout).
import type { Environment, Workload } from '../../model/types.ts';
import type { RenderOptions, RenderTarget } from '../target.ts';
import { renderHelmChart, type ChartFile } from './chart.ts';

export { renderHelmChart, VERSION_SENTINEL, type ChartFile } from './chart.ts';

export const helmTarget: RenderTarget = {
  name: 'helm',
  description:
    'a Helm chart per service (Chart.yaml, templates/, values.yaml, values.<env>.yaml); ferry chart writes every environment',
  render(env: Environment, workloads: readonly Workload[], _opts: RenderOptions): unknown[] {
    return workloads.flatMap((w) =>
      renderHelmChart(new Map([[env.name, w]]), w.version).map((f: ChartFile) => ({
        path: `${w.service}/${f.path}`,
        content: f.content,
      })),
    );
  },
  toJson(documents: readonly unknown[]): unknown {
    return { files: documents };
  },
};
