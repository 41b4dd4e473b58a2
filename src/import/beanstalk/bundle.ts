// An Elastic Beanstalk application as Preply ran it — a Django (or Node) app on a Beanstalk
// platform, not only Docker: .ebextensions/*.config (option_settings, container_commands, …),
// saved configurations (.elasticbeanstalk/saved_configs/*.cfg.yml) and env.yaml, the Procfile and
// a worker tier's cron.yaml → the app's service (web), one worker service per other Procfile
// process, its migrations (leader_only container commands) and crons (cron.yaml, calling the
// service). Later files win: .ebextensions in name order, then saved configurations, then env.yaml.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { claimName, sortRecord } from '../common.ts';
import { isCredentialName } from '../compose/map/credentials.ts';
import { toDnsLabel } from '../names.ts';
import { Reporter, type ReportEntry } from '../report.ts';
import { isRecord, type KeyPath, type SourceDoc } from '../source.ts';
import type { ImportedService } from '../types.ts';
import { instanceResources } from './instance-types.ts';
import { optionSettings, type OptionSetting } from './options.ts';

type Cron = NonNullable<ServiceManifest['crons']>[number];
export type BundleFile = { kind: 'config' | 'saved' | 'env' | 'procfile' | 'cron'; doc: SourceDoc };

const PLATFORM_PORT = { python: 8000, node: 8080, other: 8000 } as const;

/** A setting and the report of the file it is in. */
interface Set_ {
  o: OptionSetting;
  r: Reporter;
}

interface Draft {
  m: ServiceManifest;
  platform: keyof typeof PLATFORM_PORT;
  wsgi: { path?: Set_; processes?: Set_; threads?: Set_ };
  nodeCommand?: Set_;
  /** every MinSize/MaxSize written; the last of each counts */
  scaling: Set_[];
  /** a worker tier (no load balancer) */
  worker: boolean;
  /** the environment's variables, the last setting of each */
  env: Map<string, Set_>;
  reporters: Map<string, Reporter>;
}

/** Dropped namespaces and why; the mapped ones are handled in applyOption. */
const NAMESPACE_DROPS: Readonly<Record<string, string>> = {
  'aws:ec2:vpc': 'the cluster’s network decides subnets and VPCs',
  'aws:elasticbeanstalk:healthreporting:system':
    'ferry tracks rollouts and pods itself (enhanced health is Beanstalk’s)',
  'aws:elasticbeanstalk:cloudwatch:logs': 'containers log to stdout; the cluster collects logs',
  'aws:elasticbeanstalk:environment:proxy:staticfiles':
    'Beanstalk’s nginx served these folders: serve them from the app (whitenoise) or object storage',
  'aws:elasticbeanstalk:command': 'ferry rolls out with a Deployment (zero unavailable)',
  'aws:autoscaling:updatepolicy:rollingupdate': 'ferry rolls out with a Deployment (zero unavailable)',
  'aws:elasticbeanstalk:managedactions': 'platform updates: ferry runs images',
  'aws:elasticbeanstalk:managedactions:platformupdate': 'platform updates: ferry runs images',
  'aws:elasticbeanstalk:sns:topics': 'ferry notifies through ferry.platform.yaml notify',
  'aws:elasticbeanstalk:xray': 'not modelled',
};

function reporterOf(d: Draft, doc: SourceDoc): Reporter {
  let r = d.reporters.get(doc.file);
  if (!r) {
    r = new Reporter(doc.locate);
    d.reporters.set(doc.file, r);
  }
  return r;
}

function applyOption(d: Draft, o: OptionSetting, r: Reporter): void {
  const name = d.m.service;
  const key = o.at;
  const ns = o.namespace;
  if (ns === 'aws:elasticbeanstalk:application:environment') {
    // reported once every file is read: a later file may set it again
    d.env.get(o.option)?.r.dropped(name, d.env.get(o.option)!.o.at, 'set again by a later file');
    d.env.set(o.option, { o, r });
    return;
  }
  if (ns === 'aws:autoscaling:asg' && (o.option === 'MinSize' || o.option === 'MaxSize')) {
    d.scaling.push({ o, r });
    return; // reported with the instances (finishScaling)
  }
  if (
    (ns === 'aws:elasticbeanstalk:environment:process:default' && o.option === 'HealthCheckPath') ||
    (ns === 'aws:elasticbeanstalk:application' && o.option === 'Application Healthcheck URL')
  ) {
    const path = o.value.replace(/^HTTPS?:\d*/i, '');
    if (path.startsWith('/')) {
      d.m.health = { ...(typeof d.m.health === 'object' ? d.m.health : {}), path };
      return r.mapped(name, key, 'health.path', 'the load balancer’s health check → HTTP probes');
    }
    return r.dropped(name, key, `"${o.value}" is not a path`);
  }
  if (ns === 'aws:autoscaling:launchconfiguration' && o.option === 'InstanceType') {
    const res = instanceResources(o.value);
    if (!res) return r.dropped(name, key, `instance type ${o.value} is not in ferry’s table: set resources`);
    d.m.resources = { cpu: res.cpu, memory: res.memory };
    return r.approximated(name, key, 'resources', res.note);
  }
  // a setting written again by a later file replaces it
  const later = (prev: Set_ | undefined): Set_ => {
    if (prev) prev.r.dropped(name, prev.o.at, 'set again by a later file');
    return { o, r };
  };
  if (ns === 'aws:elasticbeanstalk:container:python') {
    if (o.option === 'WSGIPath') d.wsgi.path = later(d.wsgi.path);
    else if (o.option === 'NumProcesses') d.wsgi.processes = later(d.wsgi.processes);
    else if (o.option === 'NumThreads') d.wsgi.threads = later(d.wsgi.threads);
    else return r.dropped(name, key, 'not modelled');
    d.platform = 'python';
    return;
  }
  if (ns === 'aws:elasticbeanstalk:container:nodejs' && o.option === 'NodeCommand') {
    d.nodeCommand = later(d.nodeCommand);
    d.platform = 'node';
    return;
  }
  if (ns === 'aws:elasticbeanstalk:environment:proxy')
    return r.approximated(
      name,
      key,
      'routes',
      `Beanstalk’s ${o.value || 'proxy'} on each instance: the cluster’s ingress controller replaces it`,
    );
  if (ns.startsWith('aws:elbv2:listener') || ns.startsWith('aws:elb:'))
    return r.approximated(
      name,
      key,
      'environments.<env>.tls',
      'the load balancer’s listeners: TLS ends at the ingress (one wildcard certificate by default)',
    );
  if (ns === 'aws:elasticbeanstalk:environment')
    return o.option === 'EnvironmentType' && o.value === 'SingleInstance'
      ? r.approximated(
          name,
          key,
          'instances',
          'a single instance without a load balancer: one instance behind a Service',
        )
      : r.dropped(
          name,
          key,
          'the environment’s AWS wiring (roles, load balancer type) is not modelled: ferry runs in the cluster',
        );
  if (ns === 'aws:autoscaling:trigger')
    return r.approximated(
      name,
      key,
      'autoscale.cpu',
      'ferry autoscales on CPU (70% of the limit by default)',
    );
  const why = NAMESPACE_DROPS[ns];
  if (why) return r.dropped(name, key, why);
  r.dropped(name, key, `option ${ns} ${o.option}: not modelled`);
}

/** The variables: values in env, credentials as references to the Secret <service>-env. */
function finishEnv(d: Draft): void {
  const name = d.m.service;
  const env: Record<string, string | number | boolean> = { ...(d.m.env ?? {}) };
  const secrets: Record<string, string> = { ...(d.m.secrets ?? {}) };
  for (const [k, { o, r }] of d.env) {
    if (isCredentialName(k)) {
      secrets[k] = `secret:${name}-env#${k}`;
      r.approximated(
        name,
        o.at,
        `secrets.${k}`,
        `a credential: read from Secret ${name}-env (create it in each namespace with the value the Beanstalk environment has), not written to ferry.yaml`,
      );
    } else {
      env[k] = o.value;
      r.mapped(name, o.at, `env.${k}`);
    }
  }
  if (Object.keys(env).length > 0) d.m.env = sortRecord(env);
  if (Object.keys(secrets).length > 0) d.m.secrets = sortRecord(secrets);
}

/** The last MinSize and MaxSize → instances (equal, or no maximum) or autoscale (a range). */
function finishScaling(d: Draft): void {
  const last = (opt: string): Set_ | undefined => d.scaling.filter((x) => x.o.option === opt).at(-1);
  const min = last('MinSize');
  const max = last('MaxSize');
  const lo = min ? Number(min.o.value) : undefined;
  const hi = max ? Number(max.o.value) : undefined;
  const name = d.m.service;
  const range =
    lo !== undefined &&
    hi !== undefined &&
    Number.isInteger(lo) &&
    Number.isInteger(hi) &&
    hi > lo &&
    lo >= 1;
  if (range) d.m.autoscale = { min: lo, max: hi };
  else if (lo !== undefined && Number.isInteger(lo) && lo >= 0) d.m.instances = lo;
  for (const s of d.scaling) {
    if (s !== min && s !== max) s.r.dropped(name, s.o.at, 'set again by a later file');
    else if (range)
      s.r.mapped(
        name,
        s.o.at,
        `autoscale.${s === min ? 'min' : 'max'}`,
        'the Auto Scaling group’s range; ferry scales on CPU (70% of the limit)',
      );
    else if (s === min && d.m.instances !== undefined) s.r.mapped(name, s.o.at, 'instances');
    else s.r.approximated(name, s.o.at, 'instances', 'no range: instances is the minimum');
  }
}

/** `base`: the service a Dockerrun.aws.json of the same bundle gave (its image and ports stay). */
export function importBundle(
  files: readonly BundleFile[],
  opts: { serviceName?: string },
  used: Set<string>,
  base?: ImportedService,
): { services: ImportedService[]; entries: ReportEntry[] } {
  const name = base?.manifest.service ?? claimName(used, toDnsLabel(opts.serviceName ?? 'app'));
  const d: Draft = {
    m: base?.manifest ?? { service: name, image: name },
    platform: 'other',
    wsgi: {},
    scaling: [],
    worker: false,
    env: new Map(),
    reporters: new Map(),
  };
  const order = ['config', 'saved', 'env', 'procfile', 'cron'] as const;
  const sorted = [...files].sort(
    (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.doc.file.localeCompare(b.doc.file),
  );
  const migrations: { command: string; at: KeyPath; r: Reporter }[] = [];
  let procfile: { doc: SourceDoc; r: Reporter } | undefined;
  let cronYaml: { doc: SourceDoc; r: Reporter } | undefined;
  for (const f of sorted) {
    const r = reporterOf(d, f.doc);
    const v = isRecord(f.doc.value) ? f.doc.value : {};
    if (f.kind === 'procfile') procfile = { doc: f.doc, r };
    else if (f.kind === 'cron') cronYaml = { doc: f.doc, r };
    else {
      const key = f.kind === 'config' ? 'option_settings' : 'OptionSettings';
      for (const o of optionSettings(v, key)) applyOption(d, o, r);
      if (f.kind === 'config') configSections(v, name, r, migrations);
      else savedSections(v, name, r, d);
    }
  }
  finishScaling(d);
  finishEnv(d);
  // the web process: the Procfile's, else the platform's
  const services: ImportedService[] = [];
  const workers: ServiceManifest[] = [];
  const port = PLATFORM_PORT[d.platform];
  if (procfile) {
    const procs = isRecord(procfile.doc.value) ? (procfile.doc.value as Record<string, string>) : {};
    for (const [proc, command] of Object.entries(procs)) {
      const { command: fixed, note } = bindAll(command);
      if (proc === 'web') {
        d.m.command = fixed;
        if (note) procfile.r.approximated(name, [proc], 'command', `the web process (shell form); ${note}`);
        else procfile.r.mapped(name, [proc], 'command', 'the web process (shell form)');
      } else {
        const worker = claimName(used, toDnsLabel(proc));
        workers.push({ service: worker, image: name, command: fixed });
        procfile.r.approximated(
          worker,
          [proc],
          'command',
          `a worker process: the service ${worker} runs the app’s image with this command (no port)`,
        );
      }
    }
  }
  const wsgi = [d.wsgi.path, d.wsgi.processes, d.wsgi.threads].filter((x) => x !== undefined);
  for (const x of [...wsgi, d.nodeCommand].filter((y) => y !== undefined))
    if (d.m.command !== undefined)
      x.r.approximated(name, x.o.at, 'command', 'the Procfile’s web process runs instead');
  if (d.m.command === undefined && d.nodeCommand) {
    d.m.command = d.nodeCommand.o.value;
    d.nodeCommand.r.mapped(
      name,
      d.nodeCommand.o.at,
      'command',
      'the Node.js platform’s start command (shell form)',
    );
  }
  if (d.m.command === undefined && d.wsgi.path) {
    const module = d.wsgi.path.o.value.replace(/\.py$/, '').replace(/\//g, '.');
    const w = d.wsgi.processes ? ` --workers ${d.wsgi.processes.o.value}` : '';
    const t = d.wsgi.threads ? ` --threads ${d.wsgi.threads.o.value}` : '';
    d.m.command = `gunicorn --bind 0.0.0.0:${port}${w}${t} ${module.includes(':') ? module : `${module}:application`}`;
    for (const x of wsgi)
      x.r.approximated(
        name,
        x.o.at,
        'command',
        'the Python platform ran gunicorn with these: ferry writes that command (the image needs gunicorn)',
      );
  }
  if (d.m.port === undefined && d.m.ports === undefined) {
    d.m.port = port;
    reporterOf(d, sorted[0]!.doc).whole(
      name,
      [],
      'port',
      d.platform === 'other'
        ? `port ${port}: Beanstalk's nginx proxied to 8000 on the Python platform, 8080 on Node.js — check the port the app listens on`
        : `port ${port}: where Beanstalk's nginx proxied to on the ${d.platform === 'python' ? 'Python' : 'Node.js'} platform`,
    );
  }
  // migrations: leader_only container commands, in order
  if (migrations.length > 0) {
    d.m.migrations = { command: migrations.map((x) => x.command).join(' && ') };
    for (const x of migrations)
      x.r.approximated(
        name,
        x.at,
        'migrations.command',
        'a leader_only container command: runs once per deploy as the migration Job, before the rollout',
      );
  }
  if (cronYaml) crons(d, cronYaml.doc, cronYaml.r, port);
  // a web server tier answered on its load balancer: a public route (at <service>.<domain>)
  if (!d.worker && d.m.routes === undefined) {
    d.m.routes = [{ public: true }];
    reporterOf(d, sorted[0]!.doc).whole(
      name,
      [],
      'routes',
      'a web server environment answered on its load balancer: a public route at <service>.<domain> (give it your host)',
    );
  }
  if (d.m.image === name)
    reporterOf(d, sorted[0]!.doc).whole(
      name,
      [],
      'image',
      `Beanstalk built the app on its ${d.platform === 'other' ? '' : `${d.platform} `}platform: build an image of it in CI and push it as "${name}"`,
    );
  if (!base) services.push({ manifest: d.m, version: undefined });
  for (const w of workers)
    services.push({
      manifest: { ...w, image: d.m.image, env: d.m.env, secrets: d.m.secrets },
      version: undefined,
    });
  for (const s of [...services, ...(base ? [base] : [])])
    s.manifest = JSON.parse(JSON.stringify(s.manifest)) as ServiceManifest;
  const entries: ReportEntry[] = [];
  for (const f of sorted) {
    const r = reporterOf(d, f.doc);
    r.complete(f.doc.value, [], () => name);
    entries.push(...r.entries());
  }
  return { services, entries };
}

/** A web process bound to 127.0.0.1 (behind Beanstalk's nginx) must listen on every address. */
export function bindAll(command: string): { command: string; note: string | undefined } {
  const fixed = command.replace(/(--bind[= ]|-b )(127\.0\.0\.1|localhost):/g, '$10.0.0.0:');
  return fixed === command
    ? { command, note: undefined }
    : {
        command: fixed,
        note: 'it listened on 127.0.0.1 behind Beanstalk’s nginx: now 0.0.0.0, so the Service and probes reach it',
      };
}

function configSections(
  v: Record<string, unknown>,
  name: string,
  r: Reporter,
  migrations: { command: string; at: KeyPath; r: Reporter }[],
): void {
  if (isRecord(v.container_commands))
    for (const [id, c] of Object.entries(v.container_commands)) {
      const at: KeyPath = ['container_commands', id];
      if (!isRecord(c) || typeof c.command !== 'string') {
        r.dropped(name, at, 'no command');
        continue;
      }
      // the platform's virtualenv: the image's Python is on PATH
      const command = c.command.replace(/^\s*source\s+\/var\/app\/venv\/\S*\s*(;|&&)\s*/, '');
      if (c.leader_only === true) migrations.push({ command, at, r });
      else
        r.dropped(
          name,
          at,
          `runs on every instance at each deploy ("${command}"): a build step — run it when the image is built`,
        );
    }
  const why: Record<string, string> = {
    packages: 'packages installed on the instances: install them in the image',
    commands: 'commands run on the instances before the app: run them when the image is built',
    files: 'files written on the instances (hooks, cron.d): bake them into the image; crons go under crons',
    Resources: 'AWS resources (CloudFormation) are not modelled: ferry runs in the cluster',
    services: 'instance services (sysvinit) are not modelled',
    users: 'instance users are not modelled',
    groups: 'instance groups are not modelled',
    sources: 'archives unpacked on the instances: bake them into the image',
    Outputs: 'CloudFormation outputs are not modelled',
  };
  for (const [k, reason] of Object.entries(why)) if (v[k] !== undefined) r.dropped(name, [k], reason);
}

function savedSections(v: Record<string, unknown>, name: string, r: Reporter, d: Draft): void {
  const platform = isRecord(v.Platform)
    ? String(v.Platform.PlatformArn ?? '')
    : String(v.PlatformArn ?? v.SolutionStack ?? '');
  if (/python/i.test(platform)) d.platform = 'python';
  else if (/node/i.test(platform)) d.platform = 'node';
  for (const k of ['Platform', 'PlatformArn', 'SolutionStack'])
    if (v[k] !== undefined)
      r.approximated(
        name,
        [k],
        'image',
        `the platform (${platform || 'unknown'}): ferry runs an image built with the same runtime`,
      );
  const tier = isRecord(v.EnvironmentTier) ? String(v.EnvironmentTier.Name ?? '') : '';
  if (tier === 'Worker') d.worker = true;
  if (v.EnvironmentTier !== undefined)
    r.approximated(
      name,
      ['EnvironmentTier'],
      tier === 'Worker' ? 'crons' : '(Deployment)',
      tier === 'Worker'
        ? 'a worker tier: its SQS daemon is not modelled; cron.yaml tasks become crons that call the service'
        : 'a web server tier: a Deployment behind a Service',
    );
  for (const k of ['AWSConfigurationTemplateVersion', 'EnvironmentName', 'CNAME', 'EnvironmentLinks', 'Tags'])
    if (v[k] !== undefined)
      r.dropped(
        name,
        [k],
        k === 'EnvironmentLinks' ? 'services reach each other by name' : 'Beanstalk’s own metadata',
      );
}

/** cron.yaml (a worker tier's periodic tasks): each POSTs to the app's URL on a schedule. */
function crons(d: Draft, doc: SourceDoc, r: Reporter, port: number): void {
  const v = isRecord(doc.value) ? doc.value : {};
  const name = d.m.service;
  if (v.version !== undefined) r.mapped(name, ['version'], '(format)');
  const list = Array.isArray(v.cron) ? v.cron : [];
  const out: Cron[] = [];
  const used = new Set<string>();
  list.forEach((c, i) => {
    const at: KeyPath = ['cron', i];
    if (!isRecord(c) || typeof c.schedule !== 'string' || typeof c.url !== 'string')
      return r.dropped(name, at, 'a task needs name, url and schedule');
    const cron = claimName(used, toDnsLabel(String(c.name ?? `task-${i}`)).slice(0, 40));
    const path = c.url.startsWith('/') ? c.url : `/${c.url}`;
    out.push({
      name: cron,
      schedule: c.schedule,
      command: `wget -q -O- --post-data '' --header 'X-Aws-Sqsd-Taskname: ${String(c.name ?? cron).replace(/'/g, '')}' http://${name}:${port}${path}`,
      concurrency: 'forbid',
    });
    r.mapped(name, [...at, 'name'], `crons.${cron}.name`);
    r.mapped(name, [...at, 'schedule'], `crons.${cron}.schedule`, 'cron, in UTC as Beanstalk ran it');
    r.approximated(
      name,
      [...at, 'url'],
      `crons.${cron}.command`,
      `POSTs to http://${name}:${port}${path} from a pod of its own (the image needs wget), as Beanstalk's SQS daemon POSTed to the worker`,
    );
  });
  if (out.length > 0) d.m.crons = [...(d.m.crons ?? []), ...out];
}
