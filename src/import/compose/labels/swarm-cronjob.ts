// crazy-max/swarm-cronjob's labels: a service the scheduler starts on a schedule → a cron.
import { dropLabel, type LabelFamily } from './family.ts';

export const swarmCronjob: LabelFamily = {
  name: 'swarm-cronjob',
  claims: (key) => key.startsWith('swarm.cronjob.'),
  begin(_labels, st) {
    const { report, name } = st.ctx;
    return (label) => {
      const { key: k, value: v, at: key } = label;
      if (k === 'swarm.cronjob.schedule') {
        st.cron.schedule = v;
        st.cronLines.push({ at: key, to: `crons.${name}.schedule`, note: 'swarm-cronjob schedule' });
      } else if (k === 'swarm.cronjob.skip-running') {
        st.cron.concurrency = v === 'true' ? 'forbid' : 'allow';
        st.cronLines.push({ at: key, to: `crons.${name}.concurrency` });
      } else if (k === 'swarm.cronjob.timezone') {
        st.cron.timezone = v;
        st.cronLines.push({ at: key, to: `crons.${name}.timezone` });
      } else if (k === 'swarm.cronjob.enable') {
        st.cronLines.push({ at: key, to: 'crons', note: 'swarm-cronjob service → cron' });
      } else if (
        k === 'swarm.cronjob.replicas' ||
        k === 'swarm.cronjob.registry-auth' ||
        k === 'swarm.cronjob.query-registry'
      ) {
        report.dropped(
          name,
          key,
          'a CronJob runs one pod per run; image pulls use the cluster’s credentials',
        );
      } else dropLabel(label, st);
    };
  },
};
