// Readiness, liveness and startup probes from one `health` declaration. The startup probe gives
// the service `startupSeconds` to come up before liveness may restart it.
import type { V1Probe } from '@kubernetes/client-node';
import type { Health, ProbeAction } from '../../model/types.ts';
import { argv } from './command.ts';

function handler(a: ProbeAction): V1Probe {
  switch (a.kind) {
    case 'http':
      return { httpGet: { path: a.path, port: a.port } };
    case 'tcp':
      return { tcpSocket: { port: a.port } };
    case 'exec':
      return { exec: { command: argv(a.command) } };
  }
}

export interface Probes {
  readinessProbe: V1Probe;
  livenessProbe: V1Probe;
  startupProbe: V1Probe;
}

export function probes(h: Health): Probes {
  const timing = { periodSeconds: h.periodSeconds, timeoutSeconds: h.timeoutSeconds };
  return {
    readinessProbe: {
      ...handler(h.action),
      ...timing,
      failureThreshold: h.failureThreshold,
      successThreshold: 1,
    },
    livenessProbe: {
      ...handler(h.action),
      ...timing,
      failureThreshold: h.failureThreshold,
      successThreshold: 1,
    },
    startupProbe: {
      ...handler(h.action),
      ...timing,
      initialDelaySeconds: h.initialDelaySeconds,
      failureThreshold: Math.max(1, Math.ceil(h.startupSeconds / h.periodSeconds)),
      successThreshold: 1,
    },
  };
}
