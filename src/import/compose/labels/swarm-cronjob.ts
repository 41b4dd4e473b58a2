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
        st.cronKeys.push(key);
        report.mapped(name, key, `crons.${name}.schedule`, 'swarm-cronjob schedule');
      } else if (k === 'swarm.cronjob.skip-running') {
        st.cron.concurrency = v === 'true' ? 'forbid' : 'allow';
        report.mapped(name, key, `crons.${name}.concurrency`);
      } else if (k === 'swarm.cronjob.timezone') {
        st.cron.timezone = v;
        report.mapped(name, key, `crons.${name}.timezone`);
      } else if (k === 'swarm.cronjob.enable') {
        report.mapped(name, key, 'crons', 'swarm-cronjob service → cron');
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
