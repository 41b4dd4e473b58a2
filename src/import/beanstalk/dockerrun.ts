// Elastic Beanstalk Dockerrun.aws.json → ferry manifests. v1: one container (Image, Ports,
// Volumes, Logging, Entrypoint, Command). v2: ECS-style containerDefinitions, one service each.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { splitImage, toDnsLabel } from '../names.ts';
import { claimName, coresToCpu, importResult, mibToMemory, nameValueEnv, readFirstDoc } from '../common.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';

export async function importDockerrun(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const services: ImportedService[] = [];
  const entries: ImportResult['report'] = [];
  const used = new Set<string>();
  const unique = (n: string): string => claimName(used, n);
  for (const f of files) {
    const { doc, found: value } = await readFirstDoc(
      f,
      (v) => (isRecord(v) && 'AWSEBDockerrunVersion' in v ? v : undefined),
      'not a Dockerrun.aws.json (no AWSEBDockerrunVersion)',
      `${f} is not a Dockerrun.aws.json`,
    );
    const report = new Reporter(doc.locate);
    const version = Number(value.AWSEBDockerrunVersion);
    report.mapped('', ['AWSEBDockerrunVersion'], '(format)');
    const byIndex = new Map<number, string>();
    if (version === 1) {
      const name = unique(opts.serviceName ?? 'app');
      services.push(mapV1(value, name, report));
      report.complete(value, [], () => name);
    } else {
      const defs = Array.isArray(value.containerDefinitions) ? value.containerDefinitions : [];
      defs.forEach((c, i) => {
        if (!isRecord(c))
          return report.dropped('', ['containerDefinitions', i], 'not a container definition');
        const name = unique(toDnsLabel(String(c.name ?? `container-${i}`)));
        byIndex.set(i, name);
        services.push(mapV2(c, ['containerDefinitions', i], name, value, report));
      });
      if (value.authentication !== undefined)
        report.approximated(
          '',
          ['authentication'],
          '(image pull secret)',
          'registry credentials: give the cluster an imagePullSecret for the registry',
        );
      if (Array.isArray(value.volumes))
        value.volumes.forEach((_, i) =>
          report.dropped(
            '',
            ['volumes', i],
            'host volume: pods move between nodes (the app bundle is not on the node)',
          ),
        );
      report.complete(value, [], (key) =>
        key[0] === 'containerDefinitions' && typeof key[1] === 'number' ? (byIndex.get(key[1]) ?? '') : '',
      );
    }
    entries.push(...report.entries());
  }
  return importResult('beanstalk', files, services, entries, opts);
}

function image(
  m: ServiceManifest,
  text: unknown,
  key: KeyPath,
  name: string,
  report: Reporter,
): string | undefined {
  if (typeof text !== 'string' || text === '') {
    report.approximated(name, key, 'image', `no image: build it in CI and push it as "${name}"`);
    return undefined;
  }
  const { repository, tag } = splitImage(text);
  m.image = repository;
  if (tag === undefined) report.mapped(name, key, 'image');
  else
    report.approximated(name, key, 'image', `tag "${tag}" comes at deploy time: ferry deploy ${name}:${tag}`);
  return tag;
}

function setPorts(m: ServiceManifest, ports: number[]): void {
  const uniq = [...new Set(ports)];
  if (uniq.length === 1) m.port = uniq[0];
  else if (uniq.length > 1) m.ports = uniq.map((port) => ({ port }));
}

function mapV1(v: Record<string, unknown>, name: string, report: Reporter): ImportedService {
  const m: ServiceManifest = { service: name, image: name };
  const img = isRecord(v.Image) ? v.Image : {};
  const version = image(m, img.Name, ['Image', 'Name'], name, report);
  if (img.Update !== undefined)
    report.approximated(name, ['Image', 'Update'], 'image', 'ferry pins the tag at deploy time');
  const ports: number[] = [];
  if (Array.isArray(v.Ports))
    v.Ports.forEach((p, i) => {
      const cp = isRecord(p) ? Number(p.ContainerPort) : NaN;
      if (Number.isInteger(cp) && cp > 0) {
        ports.push(cp);
        report.mapped(name, ['Ports', i, 'ContainerPort'], 'port');
        if (isRecord(p) && p.HostPort !== undefined)
          report.approximated(
            name,
            ['Ports', i, 'HostPort'],
            'routes',
            'Beanstalk’s nginx proxied port 80 to it: ferry routes reach the port through a Service',
          );
      } else report.dropped(name, ['Ports', i], 'no container port');
    });
  setPorts(m, ports);
  if (Array.isArray(v.Volumes))
    v.Volumes.forEach((_, i) =>
      report.dropped(
        name,
        ['Volumes', i],
        'host path: pods move between nodes; use a volume or object storage',
      ),
    );
  if (v.Logging !== undefined)
    report.dropped(name, ['Logging'], 'containers log to stdout; the cluster collects logs');
  if (typeof v.Entrypoint === 'string') {
    m.command = [v.Entrypoint];
    report.mapped(name, ['Entrypoint'], 'command');
  }
  if (typeof v.Command === 'string') {
    m.args = v.Command.split(/\s+/).filter(Boolean);
    report.approximated(name, ['Command'], 'args', 'split on spaces');
  }
  if (v.Authentication !== undefined)
    report.approximated(
      name,
      ['Authentication'],
      '(image pull secret)',
      'registry credentials: give the cluster an imagePullSecret',
    );
  return { manifest: m, version };
}

function mapV2(
  c: Record<string, unknown>,
  base: KeyPath,
  name: string,
  root: Record<string, unknown>,
  report: Reporter,
): ImportedService {
  const at = (...p: (string | number)[]): KeyPath => [...base, ...p];
  const m: ServiceManifest = { service: name, image: name };
  if (name !== c.name)
    report.approximated(name, at('name'), 'service', `"${String(c.name)}" → "${name}" (a DNS label)`);
  else report.mapped(name, at('name'), 'service');
  const version = image(m, c.image, at('image'), name, report);
  const resources: { cpu?: string | number; memory?: string } = {};
  const mem = mibToMemory(c.memory ?? c.memoryReservation);
  if (mem !== undefined) {
    resources.memory = mem;
    if (c.memory !== undefined) report.mapped(name, at('memory'), 'resources.memory', 'MiB; the hard limit');
    else
      report.approximated(
        name,
        at('memoryReservation'),
        'resources.memory',
        'no hard limit: the soft reservation becomes the limit',
      );
  }
  if (c.memory !== undefined && c.memoryReservation !== undefined)
    report.approximated(
      name,
      at('memoryReservation'),
      'policy.memoryRequestRatio',
      'ferry derives the memory request from the limit × policy.memoryRequestRatio',
    );
  if (c.cpu !== undefined) {
    const cpu = coresToCpu(Number(c.cpu) / 1024);
    if (cpu !== undefined) {
      resources.cpu = cpu;
      report.approximated(
        name,
        at('cpu'),
        'resources.cpu',
        'ECS CPU units / 1024 = cores; ECS units are a relative share, ferry makes them the limit',
      );
    } else report.dropped(name, at('cpu'), 'zero CPU units: no limit');
  }
  if (Object.keys(resources).length > 0) m.resources = resources;
  const ports: number[] = [];
  if (Array.isArray(c.portMappings))
    c.portMappings.forEach((p, i) => {
      const cp = isRecord(p) ? Number(p.containerPort) : NaN;
      if (Number.isInteger(cp) && cp > 0) {
        ports.push(cp);
        report.mapped(name, at('portMappings', i, 'containerPort'), 'port');
        if (isRecord(p) && p.hostPort !== undefined)
          report.approximated(
            name,
            at('portMappings', i, 'hostPort'),
            'routes',
            'host port: reach the service through a route',
          );
        if (isRecord(p) && p.protocol !== undefined)
          report.mapped(name, at('portMappings', i, 'protocol'), 'ports[].protocol');
      } else report.dropped(name, at('portMappings', i), 'no container port');
    });
  setPorts(m, ports);
  if (Array.isArray(c.environment)) {
    const env = nameValueEnv(c.environment, at('environment'), name, report);
    if (env) m.env = env;
  }
  if (c.command !== undefined) {
    if (Array.isArray(c.command)) m.args = c.command.map(String);
    report.mapped(name, at('command'), 'args');
  }
  if (c.entryPoint !== undefined) {
    if (Array.isArray(c.entryPoint)) m.command = c.entryPoint.map(String);
    report.mapped(name, at('entryPoint'), 'command');
  }
  if (c.essential !== undefined)
    report.approximated(
      name,
      at('essential'),
      '(service)',
      'each container is its own service in ferry, restarted on its own',
    );
  if (c.links !== undefined)
    report.dropped(name, at('links'), 'every service in a namespace reaches the others by name');
  if (c.volumesFrom !== undefined)
    report.dropped(name, at('volumesFrom'), 'ferry does not share volumes between services');
  if (Array.isArray(c.mountPoints)) {
    const vols = Array.isArray(root.volumes) ? root.volumes : [];
    c.mountPoints.forEach((mp, i) => {
      const src = isRecord(mp) ? String(mp.sourceVolume ?? '') : '';
      if (src.startsWith('awseb-logs-'))
        report.dropped(
          name,
          at('mountPoints', i),
          'Beanstalk log volume: containers log to stdout; the cluster collects logs',
        );
      else if (vols.some((v) => isRecord(v) && v.name === src))
        report.dropped(
          name,
          at('mountPoints', i),
          `host volume "${src}": bake the files into the image or use a volume`,
        );
      else report.dropped(name, at('mountPoints', i), `volume "${src}" is not modelled`);
    });
  }
  return { manifest: m, version };
}
