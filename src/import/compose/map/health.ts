// healthcheck → health: a curl/wget of a local URL → an HTTP probe (http-check.ts); otherwise
// CMD → exec form, CMD-SHELL/string → shell form; timings, retries.
// kompose's probe labels (read before this mapper) take precedence over the test.
import { isRecord } from '../../source.ts';
import type { FieldMapper, Health } from '../context.ts';
import { addProbePort, seconds } from './probe.ts';
import { httpCheck } from '../../http-check.ts';
import { manifestPorts } from './ports.ts';

export const mapHealth: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const hc = ctx.svc.healthcheck;
  if (hc === undefined) return;
  if (!isRecord(hc)) return report.dropped(name, at('healthcheck'), 'not a mapping');
  if (hc.disable === true) return report.mapped(name, at('healthcheck'), 'health', 'disabled: no probes');
  const test = hc.test;
  let command: string | string[] | undefined;
  if (typeof test === 'string') command = test;
  else if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(String);
    if (kind === 'NONE') return report.mapped(name, at('healthcheck'), 'health', 'NONE: no probes');
    if (kind === 'CMD-SHELL') command = rest.join(' ');
    else if (kind === 'CMD') command = rest;
    else command = test.map(String);
  }
  const h: Health = typeof m.health === 'object' ? m.health : {};
  const fromLabels = h.path !== undefined || h.tcp === true || h.command !== undefined;
  const http = command !== undefined && command.length > 0 && !fromLabels ? httpCheck(command) : undefined;
  if (http) {
    h.path = http.path;
    if (http.port !== manifestPorts(m)[0]?.port) h.port = http.port;
    report.approximated(
      name,
      at('healthcheck', 'test'),
      'health.path',
      `an HTTP probe of ${http.path} on port ${http.port}: the kubelet makes the request, so the image needs no ${JSON.stringify(command).includes('wget') ? 'wget' : 'curl'}`,
    );
  } else if (command !== undefined && command.length > 0 && !fromLabels) {
    h.command = command;
    report.mapped(
      name,
      at('healthcheck', 'test'),
      'health.command',
      typeof command === 'string' ? 'shell form (/bin/sh -c)' : 'exec form',
    );
  } else if (command !== undefined && command.length > 0) {
    report.approximated(
      name,
      at('healthcheck', 'test'),
      'health',
      'kompose probe labels take precedence over the test',
    );
  } else if (!fromLabels) {
    report.dropped(name, at('healthcheck'), 'no test command: nothing to probe');
    return;
  }
  const timing: [string, keyof Health, string][] = [
    ['interval', 'period', 'mapped'],
    ['timeout', 'timeout', 'mapped'],
    ['start_period', 'startup', 'approximated'],
  ];
  for (const [from, to, how] of timing) {
    if (hc[from] === undefined) continue;
    const d = seconds(hc[from]);
    if (d === undefined) {
      report.dropped(name, at('healthcheck', from), 'not a duration');
      continue;
    }
    (h as Record<string, unknown>)[to] = d;
    if (how === 'mapped') report.mapped(name, at('healthcheck', from), `health.${to}`);
    else
      report.approximated(
        name,
        at('healthcheck', from),
        `health.${to}`,
        'the startup probe’s budget: liveness starts after it',
      );
  }
  if (hc.retries !== undefined) {
    const n = Number(hc.retries);
    if (Number.isInteger(n) && n >= 1) {
      h.failureThreshold = n;
      report.mapped(name, at('healthcheck', 'retries'), 'health.failureThreshold');
    } else report.dropped(name, at('healthcheck', 'retries'), 'must be at least 1');
  }
  if (hc.start_interval !== undefined)
    report.dropped(name, at('healthcheck', 'start_interval'), 'Kubernetes probes use one period');
  m.health = h;
  addProbePort(m, h);
};
