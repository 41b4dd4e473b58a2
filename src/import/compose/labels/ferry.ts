// The labels ferry's swarm target writes: on a cron's service (ferry.cron.service, ferry.cron.name)
// the project-level pass folds that service back into its parent (fold-crons.ts); ferry.secret-env
// names the secrets that are variables in ferry (read by map/secrets.ts).
import type { LabelFamily } from './family.ts';

export const ferryCron: LabelFamily = {
  name: 'ferry',
  claims: (key) => key === 'ferry.cron.service' || key === 'ferry.cron.name' || key === 'ferry.secret-env',
  begin(_labels, st) {
    return ({ key, at }) =>
      key === 'ferry.secret-env'
        ? st.ctx.report.mapped(st.ctx.name, at, 'secrets', 'these secrets are variables (map/secrets.ts)')
        : st.ctx.report.mapped(st.ctx.name, at, 'crons', 'the cron belongs to this ferry service');
  },
};
