// Readiness, liveness and startup probes from one `health` declaration. The startup probe gives
// the service `startupSeconds` to come up before liveness may restart it.
import type { V1Probe } from '@kubernetes/client-node';
import type { Health } from '../../model/types.ts';
import { argv } from './command.ts';

export interface Probes {
  readinessProbe: V1Probe;
  livenessProbe: V1Probe;
  startupProbe: V1Probe;
}

function probe(h: Health, failureThreshold: number, initialDelaySeconds?: number): V1Probe {
  const a = h.action;
  const p: V1Probe = {
    periodSeconds: h.periodSeconds,
    timeoutSeconds: h.timeoutSeconds,
    failureThreshold,
    successThreshold: 1,
  };
  if (initialDelaySeconds !== undefined) p.initialDelaySeconds = initialDelaySeconds;
  if (a.kind === 'http') {
    p.httpGet = { path: a.path, port: a.port };
    if (a.headers.length > 0)
      p.httpGet.httpHeaders = a.headers.map((h) => ({ name: h.name, value: h.value }));
  } else if (a.kind === 'tcp') p.tcpSocket = { port: a.port };
  else p.exec = { command: argv(a.command) };
  return p;
}

export function probes(h: Health): Probes {
  return {
    readinessProbe: probe(h, h.failureThreshold),
    livenessProbe: probe(h, h.failureThreshold),
    startupProbe: probe(h, Math.max(1, Math.ceil(h.startupSeconds / h.periodSeconds)), h.initialDelaySeconds),
  };
}
