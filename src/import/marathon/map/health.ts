// healthChecks[0] (HTTP, MESOS_HTTP(S), TCP, COMMAND) → health; further checks are dropped (one
// health per service). gracePeriodSeconds becomes the startup budget.
import { secondsToDuration } from '../../common.ts';
import { isRecord } from '../../source.ts';
import type { AppMapper, Health } from '../context.ts';
import { appPorts } from './ports.ts';
import { httpCheck } from '../../http-check.ts';

export const mapHealth: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (!Array.isArray(app.healthChecks)) return;
  const ports = appPorts(m);
  let done = false;
  app.healthChecks.forEach((hc, i) => {
    const key = at('healthChecks', i);
    if (!isRecord(hc)) return report.dropped(name, key, 'not a health check');
    if (done)
      return report.dropped(name, key, 'ferry has one health check per service (the first one is kept)');
    const protocol = String(hc.protocol ?? 'HTTP').toUpperCase();
    const h: Health = {};
    const idx = hc.portIndex === undefined ? 0 : Number(hc.portIndex);
    const port = typeof hc.port === 'number' ? hc.port : ports[idx]?.port;
    if (protocol === 'COMMAND') {
      const cmd = isRecord(hc.command) ? hc.command.value : undefined;
      if (typeof cmd !== 'string') return report.dropped(name, key, 'no command');
      const http = httpCheck(cmd);
      if (http) {
        h.path = http.path;
        if (http.port !== (ports[0]?.port ?? http.port)) h.port = http.port;
        // ferry probes declared ports only
        if (!ports.some((p) => p.port === http.port)) {
          const listed = m.ports ?? (m.port !== undefined ? [{ port: m.port }] : []);
          if (listed.length === 0) m.port = http.port;
          else {
            delete m.port;
            m.ports = [...listed, { port: http.port }];
          }
        }
        report.approximated(
          name,
          at('healthChecks', i, 'command'),
          'health.path',
          `an HTTP probe of ${http.path} on port ${http.port}: the kubelet makes the request, so the image needs no curl or wget`,
        );
      } else {
        h.command = cmd;
        report.mapped(name, at('healthChecks', i, 'command'), 'health.command', 'shell form');
      }
      if (!http && /\$(HOST|PORT)/.test(cmd))
        report.approximated(
          name,
          at('healthChecks', i, 'command'),
          'health.command',
          '$HOST/$PORT were set by Mesos: set them in env or rewrite the command for localhost',
        );
    } else if (protocol.endsWith('HTTP') || protocol.endsWith('HTTPS')) {
      h.path = typeof hc.path === 'string' && hc.path.startsWith('/') ? hc.path : '/';
      if (port !== undefined && port !== ports[0]?.port) h.port = port;
      if (protocol.endsWith('HTTPS'))
        report.approximated(
          name,
          at('healthChecks', i, 'protocol'),
          'health.path',
          'probed over HTTP (Kubernetes can probe HTTPS, ferry does not model it)',
        );
      else report.mapped(name, at('healthChecks', i, 'protocol'), 'health.path');
      if (hc.path !== undefined) report.mapped(name, at('healthChecks', i, 'path'), 'health.path');
    } else if (protocol.endsWith('TCP')) {
      h.tcp = true;
      if (port !== undefined && port !== ports[0]?.port) h.port = port;
      report.mapped(name, at('healthChecks', i, 'protocol'), 'health.tcp');
    } else return report.dropped(name, key, `protocol ${protocol} is not modelled`);
    const probed = h.port === undefined ? 'health' : 'health.port';
    if (hc.portIndex !== undefined)
      report.mapped(
        name,
        at('healthChecks', i, 'portIndex'),
        probed,
        h.port === undefined ? 'the first port' : undefined,
      );
    if (hc.port !== undefined) report.mapped(name, at('healthChecks', i, 'port'), probed);
    const timing: [string, 'startup' | 'period' | 'timeout'][] = [
      ['gracePeriodSeconds', 'startup'],
      ['intervalSeconds', 'period'],
      ['timeoutSeconds', 'timeout'],
    ];
    for (const [from, to] of timing) {
      if (hc[from] === undefined) continue;
      const d = secondsToDuration(hc[from]);
      if (d === undefined || (to !== 'startup' && d === '0s')) {
        report.dropped(name, at('healthChecks', i, from), 'not a positive number of seconds');
        continue;
      }
      h[to] = d;
      if (to === 'startup')
        report.approximated(
          name,
          at('healthChecks', i, from),
          'health.startup',
          'the startup probe’s budget: liveness applies after it',
        );
      else report.mapped(name, at('healthChecks', i, from), `health.${to}`);
    }
    if (hc.maxConsecutiveFailures !== undefined) {
      const n = Number(hc.maxConsecutiveFailures);
      if (Number.isInteger(n) && n >= 1) {
        h.failureThreshold = n;
        report.mapped(name, at('healthChecks', i, 'maxConsecutiveFailures'), 'health.failureThreshold');
      } else
        report.dropped(
          name,
          at('healthChecks', i, 'maxConsecutiveFailures'),
          '0 meant "never kill": Kubernetes liveness always restarts after failureThreshold',
        );
    }
    if (hc.delaySeconds !== undefined)
      report.dropped(name, at('healthChecks', i, 'delaySeconds'), 'not modelled');
    if (hc.ignoreHttp1xx !== undefined)
      report.dropped(
        name,
        at('healthChecks', i, 'ignoreHttp1xx'),
        'Kubernetes treats 2xx and 3xx as healthy',
      );
    m.health = h;
    done = true;
  });
};
