// The labels ferry's swarm target writes on a cron's service (ferry.cron.service, ferry.cron.name):
// the project-level pass folds that service back into its parent (compose/index.ts).
import type { LabelFamily } from './family.ts';

export const ferryCron: LabelFamily = {
  name: 'ferry',
  claims: (key) => key === 'ferry.cron.service' || key === 'ferry.cron.name',
  begin(_labels, st) {
    return ({ at }) =>
      st.ctx.report.mapped(st.ctx.name, at, 'crons', 'the cron belongs to this ferry service');
  },
};
