// cpus, mem → resources; instances → instances. Marathon's cpus/mem are what the task reserved;
// ferry reads them as the LIMIT and derives requests from policy ratios (ANNA's pitfall: requests
// = limits throttles CPU).
import { coresToCpu, mibToMemory } from '../../common.ts';
import type { AppMapper } from '../context.ts';

export const mapResources: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  const resources: { cpu?: string | number; memory?: string } = {};
  const cpu = coresToCpu(app.cpus);
  if (cpu !== undefined) {
    resources.cpu = cpu;
    report.mapped(
      name,
      at('cpus'),
      'resources.cpu',
      'the limit; the request is limit × policy.cpuRequestRatio (not request = limit)',
    );
  } else if (app.cpus !== undefined) report.dropped(name, at('cpus'), 'not a positive number');
  const mem = mibToMemory(app.mem);
  if (mem !== undefined) {
    resources.memory = mem;
    report.mapped(name, at('mem'), 'resources.memory', 'MiB; the limit');
  } else if (app.mem !== undefined) report.dropped(name, at('mem'), 'not a positive number');
  if (Object.keys(resources).length > 0) m.resources = resources;
};

export const mapInstances: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (app.instances === undefined) return;
  const n = Number(app.instances);
  if (Number.isInteger(n) && n >= 0) {
    m.instances = n;
    report.mapped(name, at('instances'), 'instances');
  } else report.dropped(name, at('instances'), 'not a whole number');
};
