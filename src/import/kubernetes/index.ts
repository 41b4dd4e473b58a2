// Kubernetes YAML (Deployment, StatefulSet, DaemonSet, Service, Ingress, CronJob, HPA, PVC …) →
// ferry manifests, so services that already run on Kubernetes can be adopted. One service per
// workload; Services, Ingresses, CronJobs and HPAs attach to the workload they point at.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { Reporter } from '../report.ts';
import { mountFiles } from './files.ts';
import { isRecord, readSourceFile, type KeyPath } from '../source.ts';
import { importResult, notFormat, secondsToDuration } from '../common.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';
import { applyContainer, mapContainer, quantityMemory, serviceName, shellForm } from './workload.ts';

type Obj = Record<string, unknown>;

interface KubeDoc {
  obj: Obj;
  kind: string;
  name: string;
  report: Reporter;
}

/** ingress-nginx's source allow-list (what ferry renders for routes[].allow) */
const ALLOW_ANNOTATION = 'nginx.ingress.kubernetes.io/whitelist-source-range';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const KIND_DROPS: Readonly<Record<string, string>> = {
  Namespace: 'ferry creates the environment’s namespace',
  ConfigMap: 'no file of a workload is mounted from it: pass its values as env, or mount it (files)',
  Secret:
    'secrets are referenced, never stored in manifests: keep the Secret in the cluster (or an external store)',
  Job: 'a one-off Job: use migrations (before the rollout) or checks (after it)',
  Pod: 'a bare Pod: ferry runs services as Deployments',
  PodDisruptionBudget: 'ferry renders a PodDisruptionBudget itself when 2+ instances run',
  ServiceAccount: 'not modelled',
  Role: 'not modelled',
  RoleBinding: 'not modelled',
  NetworkPolicy: 'not modelled: routes[].allow limits sources on ingress',
  Certificate: 'TLS comes from the environment (one wildcard certificate by default)',
};

function get(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const p of path) v = isRecord(v) ? v[p] : undefined;
  return v;
}

export async function importKubernetes(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const docs: KubeDoc[] = [];
  for (const f of files) {
    const src = await readSourceFile(f);
    for (const d of src.docs) {
      const add = (obj: unknown, base: KeyPath): void => {
        if (!isRecord(obj) || typeof obj.kind !== 'string') return;
        if (obj.kind.endsWith('List') && Array.isArray(obj.items))
          return obj.items.forEach((it, i) => add(it, [...base, 'items', i]));
        const name = String(get(obj, 'metadata', 'name') ?? obj.kind.toLowerCase());
        const report = new Reporter((p) => d.locate([...base, ...p]), `${obj.kind}/${name}: `);
        docs.push({ obj, kind: obj.kind, name, report });
      };
      add(d.value, []);
    }
  }
  if (docs.length === 0)
    throw notFormat(files[0] ?? '', 'no Kubernetes objects (apiVersion + kind) found', 'nothing to import');

  const services = new Map<string, ImportedService & { labels: Obj }>();
  const pvcSize = new Map<string, string>();
  const configMaps = new Map<string, Obj>();
  const usedConfigMaps = new Set<string>();
  for (const d of docs)
    if (d.kind === 'ConfigMap' && isRecord(d.obj.data)) configMaps.set(d.name, d.obj.data);
  for (const d of docs)
    if (d.kind === 'PersistentVolumeClaim') {
      const size = quantityMemory(get(d.obj, 'spec', 'resources', 'requests', 'storage'));
      if (size) pvcSize.set(d.name, size);
    }

  // Workloads first.
  for (const d of docs) {
    if (!WORKLOADS.has(d.kind)) continue;
    const name = serviceName(d.name);
    const r = d.report;
    r.mapped(name, ['metadata', 'name'], 'service');
    const pod = get(d.obj, 'spec', 'template', 'spec');
    if (!isRecord(pod)) {
      r.dropped(name, ['spec'], 'no pod template');
      continue;
    }
    const m: ServiceManifest = { service: name, image: name };
    const c = mapContainer(name, pod, ['spec', 'template', 'spec'], r);
    if (c) applyContainer(m, c);
    const replicas = get(d.obj, 'spec', 'replicas');
    if (d.kind === 'DaemonSet')
      r.approximated(
        name,
        ['kind'],
        'instances',
        'one pod per node (DaemonSet) is not modelled: ferry runs a Deployment; set instances',
      );
    else if (d.kind === 'StatefulSet') {
      m.stateful = true;
      r.mapped(
        name,
        ['kind'],
        'stateful',
        'a StatefulSet (claims per pod from the volumes, a headless Service)',
      );
    } else r.mapped(name, ['kind'], '(Deployment)');
    if (typeof replicas === 'number') {
      m.instances = replicas;
      r.mapped(name, ['spec', 'replicas'], 'instances');
    }
    for (const f of [
      'selector',
      'strategy',
      'updateStrategy',
      'revisionHistoryLimit',
      'progressDeadlineSeconds',
      'minReadySeconds',
      'serviceName',
      'podManagementPolicy',
    ])
      if (get(d.obj, 'spec', f) !== undefined)
        r.approximated(
          name,
          ['spec', f],
          '(Deployment)',
          'ferry renders these itself (zero-unavailable rolling update, policy.progressDeadline)',
        );
    // volumes: PVCs (and StatefulSet claim templates) → ferry volumes; the rest is reported
    const first: unknown = Array.isArray(pod.containers) ? pod.containers[0] : undefined;
    const mountList = get(first, 'volumeMounts');
    const mounts: unknown[] = Array.isArray(mountList) ? mountList : [];
    const vols: NonNullable<ServiceManifest['volumes']> = [];
    const podVolumes = Array.isArray(pod.volumes) ? pod.volumes : [];
    const templates = (get(d.obj, 'spec', 'volumeClaimTemplates') as unknown[]) ?? [];
    mounts.forEach((mt, i) => {
      const key: KeyPath = ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', i];
      const vname = String(get(mt, 'name'));
      const path = String(get(mt, 'mountPath'));
      const pv = podVolumes.find((v) => get(v, 'name') === vname);
      const claim = get(pv, 'persistentVolumeClaim', 'claimName');
      const tpl = templates.find((t) => get(t, 'metadata', 'name') === vname);
      const files = mountFiles(mt, podVolumes, configMaps);
      if (files) {
        m.files = [...(m.files ?? []), ...files];
        r.mapped(name, key, 'files', files.map((f) => f.path).join(', '));
        for (const f of files)
          if (f.content !== undefined) usedConfigMaps.add(String(get(pv, 'configMap', 'name')));
      } else if (typeof claim === 'string' || tpl) {
        const size =
          typeof claim === 'string'
            ? (pvcSize.get(claim) ?? '1Gi')
            : (quantityMemory(get(tpl, 'spec', 'resources', 'requests', 'storage')) ?? '1Gi');
        vols.push({ name: serviceName(vname), path, size });
        r.mapped(name, key, `volumes.${serviceName(vname)}`);
      } else
        r.dropped(
          name,
          key,
          `volume "${vname}" (${
            pv
              ? Object.keys(pv as Obj)
                  .filter((x) => x !== 'name')
                  .join(', ')
              : 'unknown'
          }) is not modelled: only persistent volumes are`,
        );
    });
    if (vols.length > 0) m.volumes = vols;
    if (pod.volumes !== undefined)
      r.mapped(name, ['spec', 'template', 'spec', 'volumes'], 'volumes', 'via the container’s volumeMounts');
    if (templates.length > 0) r.mapped(name, ['spec', 'volumeClaimTemplates'], 'volumes');
    if (isRecord(pod.nodeSelector)) {
      m.placement = {
        nodeSelector: Object.fromEntries(Object.entries(pod.nodeSelector).map(([k, v]) => [k, String(v)])),
      };
      r.mapped(name, ['spec', 'template', 'spec', 'nodeSelector'], 'placement.nodeSelector');
    }
    if (Array.isArray(pod.tolerations)) {
      type Tol = NonNullable<NonNullable<ServiceManifest['placement']>['tolerations']>[number];
      const tol = pod.tolerations.filter(isRecord).map((t): Tol => {
        const out: Tol = { key: String(t.key ?? '') };
        if (t.operator === 'Exists' || t.operator === 'Equal') out.operator = t.operator;
        if (typeof t.value === 'string') out.value = t.value;
        if (t.effect === 'NoSchedule' || t.effect === 'PreferNoSchedule' || t.effect === 'NoExecute')
          out.effect = t.effect;
        return out;
      });
      m.placement = { ...(m.placement ?? {}), tolerations: tol };
      r.mapped(name, ['spec', 'template', 'spec', 'tolerations'], 'placement.tolerations');
    }
    if (get(pod, 'restartPolicy') !== undefined)
      r.mapped(name, ['spec', 'template', 'spec', 'restartPolicy'], '(Deployment)');
    r.dropped(name, ['metadata'], 'ferry sets its own metadata (names, labels, annotations)');
    r.dropped(name, ['spec', 'template', 'metadata'], 'ferry sets its own pod labels and annotations');
    services.set(d.name, {
      manifest: m,
      version: c?.version,
      raw: d.obj,
      labels: (get(d.obj, 'spec', 'template', 'metadata', 'labels') as Obj) ?? {},
    });
  }

  const byService = new Map<string, string>(); // Service name → workload name
  for (const d of docs) {
    const r = d.report;
    if (d.kind === 'Service') {
      const sel = get(d.obj, 'spec', 'selector');
      const target =
        [...services].find(
          ([, s]) => isRecord(sel) && Object.entries(sel).every(([k, v]) => s.labels[k] === v),
        )?.[0] ?? (services.has(d.name) ? d.name : undefined);
      const svc = target ? services.get(target)!.manifest.service : '';
      if (target) byService.set(d.name, target);
      r.mapped(svc, ['spec', 'ports'], 'ports', 'ferry renders one Service per service from its ports');
      r.dropped(svc, ['metadata'], 'ferry names the Service after the service');
      const type = get(d.obj, 'spec', 'type');
      if (type !== undefined && type !== 'ClusterIP')
        r.approximated(
          svc,
          ['spec', 'type'],
          'routes',
          `"${String(type)}": ferry exposes services through routes (Ingress) only`,
        );
      else if (type !== undefined) r.mapped(svc, ['spec', 'type'], 'ports');
      if (get(d.obj, 'spec', 'selector') !== undefined) r.mapped(svc, ['spec', 'selector'], '(Service)');
    }
  }
  for (const d of docs) {
    const r = d.report;
    if (d.kind === 'Ingress') {
      const rules = (get(d.obj, 'spec', 'rules') as unknown[]) ?? [];
      const cls =
        get(d.obj, 'spec', 'ingressClassName') ??
        get(d.obj, 'metadata', 'annotations', 'kubernetes.io/ingress.class');
      const pub = !(typeof cls === 'string' && /internal|private/.test(cls));
      // ingress-nginx's allow-list, as ferry renders routes[].allow
      const sourceRange = get(d.obj, 'metadata', 'annotations', ALLOW_ANNOTATION);
      const allow =
        typeof sourceRange === 'string'
          ? sourceRange
              .split(',')
              .map((x) => x.trim())
              .filter((x) => x !== '')
          : [];
      if (allow.length > 0) r.mapped('', ['metadata', 'annotations', ALLOW_ANNOTATION], 'routes[].allow');
      rules.forEach((rule, i) => {
        const host = get(rule, 'host');
        const paths = (get(rule, 'http', 'paths') as unknown[]) ?? [];
        paths.forEach((p, j) => {
          const backend = get(p, 'backend', 'service', 'name') ?? get(p, 'backend', 'serviceName');
          const target =
            typeof backend === 'string'
              ? (byService.get(backend) ?? (services.has(backend) ? backend : undefined))
              : undefined;
          const key: KeyPath = ['spec', 'rules', i, 'http', 'paths', j];
          if (!target)
            return r.dropped('', key, `backend "${String(backend)}" is not a workload in these files`);
          const s = services.get(target)!;
          const path = typeof get(p, 'path') === 'string' ? String(get(p, 'path')) : '/';
          const route: NonNullable<ServiceManifest['routes']>[number] = {};
          if (typeof host === 'string') route.host = host;
          if (path !== '/') route.path = path;
          if (pub) route.public = true;
          if (allow.length > 0) route.allow = allow;
          s.manifest.routes = [...(s.manifest.routes ?? []), route];
          r.mapped(
            s.manifest.service,
            key,
            'routes',
            get(p, 'pathType') === 'Exact' ? 'an Exact path becomes a prefix' : undefined,
          );
        });
        if (typeof host === 'string') r.mapped('', ['spec', 'rules', i, 'host'], 'routes[].host');
      });
      if (get(d.obj, 'spec', 'tls') !== undefined)
        r.approximated(
          '',
          ['spec', 'tls'],
          'environments.<env>.tls',
          'TLS is per environment (one wildcard certificate by default)',
        );
      if (cls !== undefined)
        r.approximated(
          '',
          get(d.obj, 'spec', 'ingressClassName') !== undefined
            ? ['spec', 'ingressClassName']
            : ['metadata', 'annotations', 'kubernetes.io/ingress.class'],
          'routes[].public',
          'public routes use policy.ingressClass, internal ones policy.internalIngressClass',
        );
      r.dropped('', ['metadata'], 'ferry renders its own Ingress names and annotations');
    } else if (d.kind === 'CronJob') {
      const spec = get(d.obj, 'spec');
      const pod = get(spec, 'jobTemplate', 'spec', 'template', 'spec');
      const base: KeyPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
      if (!isRecord(pod) || typeof get(spec, 'schedule') !== 'string') {
        r.dropped('', ['spec'], 'no schedule or pod template');
        continue;
      }
      const image = String(get((pod.containers as unknown[])?.[0], 'image') ?? '');
      const repo = image.split('@')[0]!.replace(/:[^/:]+$/, '');
      // a CronJob ferry rendered names its service and cron in its labels
      const labelled = get(d.obj, 'metadata', 'labels', 'ferry.dev/service');
      const labelledCron = get(d.obj, 'metadata', 'labels', 'ferry.dev/cron');
      const owner = [...services.values()].find((s) =>
        typeof labelled === 'string'
          ? s.manifest.service === serviceName(labelled)
          : s.manifest.image === repo,
      );
      const svcName =
        owner?.manifest.service ?? serviceName(typeof labelled === 'string' ? labelled : d.name);
      const c = mapContainer(svcName, pod, base, r);
      if (!c) continue;
      const full = [...(c.command ?? []), ...(c.args ?? [])];
      const command = shellForm(full, undefined) ?? full;
      if (command.length === 0) {
        r.dropped(
          svcName,
          ['spec'],
          'a cron needs a command; this one runs the image’s entrypoint: write it in ferry.yaml',
        );
        continue;
      }
      const cron: NonNullable<ServiceManifest['crons']>[number] = {
        name: serviceName(
          typeof labelledCron === 'string'
            ? labelledCron
            : d.name.startsWith(`${svcName}-`)
              ? d.name.slice(svcName.length + 1)
              : d.name,
        ),
        schedule: String(get(spec, 'schedule')),
        command,
      };
      r.mapped(svcName, ['spec', 'schedule'], 'crons[].schedule');
      const cp = get(spec, 'concurrencyPolicy');
      if (cp === 'Forbid' || cp === 'Allow' || cp === 'Replace') {
        cron.concurrency = cp.toLowerCase() as 'forbid' | 'allow' | 'replace';
        r.mapped(svcName, ['spec', 'concurrencyPolicy'], 'crons[].concurrency');
      }
      if (typeof get(spec, 'timeZone') === 'string') {
        cron.timezone = String(get(spec, 'timeZone'));
        r.mapped(svcName, ['spec', 'timeZone'], 'crons[].timezone');
      }
      const sd = get(spec, 'startingDeadlineSeconds');
      if (typeof sd === 'number' && sd > 0) {
        cron.deadline = secondsToDuration(sd)!;
        r.mapped(svcName, ['spec', 'startingDeadlineSeconds'], 'crons[].deadline');
      }
      const ad = get(spec, 'jobTemplate', 'spec', 'activeDeadlineSeconds');
      if (typeof ad === 'number' && ad > 0) {
        cron.timeout = secondsToDuration(ad)!;
        r.mapped(svcName, ['spec', 'jobTemplate', 'spec', 'activeDeadlineSeconds'], 'crons[].timeout');
      }
      if (c.resources) cron.resources = c.resources;
      for (const f of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'suspend'])
        if (get(spec, f) !== undefined)
          r.approximated(svcName, ['spec', f], 'crons', 'ferry sets job history and suspension itself');
      const backoff = get(spec, 'jobTemplate', 'spec', 'backoffLimit');
      if (typeof backoff === 'number' && Number.isInteger(backoff) && backoff >= 0 && backoff <= 20) {
        cron.retries = backoff;
        r.mapped(svcName, ['spec', 'jobTemplate', 'spec', 'backoffLimit'], `crons.${cron.name}.retries`);
      } else if (backoff !== undefined)
        r.dropped(
          svcName,
          ['spec', 'jobTemplate', 'spec', 'backoffLimit'],
          'ferry retries a run 0 to 20 times',
        );
      // the files its pod mounts (a cron-only service's secrets)
      const podVolumes = Array.isArray(pod.volumes) ? pod.volumes : [];
      const cronMounts = get((pod.containers as unknown[])?.[0], 'volumeMounts');
      const cronFiles = (Array.isArray(cronMounts) ? cronMounts : []).flatMap(
        (mt) => mountFiles(mt, podVolumes, configMaps) ?? [],
      );
      if (get(pod, 'restartPolicy') !== undefined) r.mapped(svcName, [...base, 'restartPolicy'], 'crons');
      r.dropped(svcName, ['metadata'], 'ferry names CronJobs <service>-<cron>');
      r.dropped(
        svcName,
        ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
        'ferry sets its own pod labels',
      );
      if (owner) {
        owner.manifest.crons = [...(owner.manifest.crons ?? []), cron];
        r.approximated(svcName, ['kind'], `crons.${cron.name}`, `a cron of "${svcName}" (same image)`);
      } else {
        const m: ServiceManifest = { service: svcName, image: c.image, instances: 0, crons: [cron] };
        if (c.env) m.env = c.env;
        if (c.secrets) m.secrets = c.secrets;
        if (cronFiles.length > 0) {
          m.files = cronFiles;
          r.mapped(svcName, [...base, 'volumes'], 'files', 'the files the cron’s pod mounts');
        }
        services.set(d.name, { manifest: m, version: c.version, raw: d.obj, labels: {} });
        r.approximated(
          svcName,
          ['kind'],
          'crons',
          'a service of its own with instances 0 (no workload runs this image)',
        );
      }
    } else if (d.kind === 'HorizontalPodAutoscaler') {
      const target = String(get(d.obj, 'spec', 'scaleTargetRef', 'name') ?? '');
      const s = services.get(target);
      const min = Number(get(d.obj, 'spec', 'minReplicas') ?? 1);
      const max = Number(get(d.obj, 'spec', 'maxReplicas'));
      if (!s || !Number.isInteger(max)) {
        r.dropped('', ['spec'], 'the target is not a workload in these files');
        continue;
      }
      const metrics = (get(d.obj, 'spec', 'metrics') as unknown[]) ?? [];
      const cpu = metrics
        .map(
          (x) =>
            get(x, 'resource', 'target', 'averageUtilization') ??
            get(x, 'resource', 'targetAverageUtilization'),
        )
        .find((x) => typeof x === 'number');
      s.manifest.autoscale = { min, max, ...(typeof cpu === 'number' ? { cpu: `${cpu}%` } : {}) };
      r.mapped(
        s.manifest.service,
        ['spec'],
        'autoscale',
        cpu === undefined ? undefined : 'CPU utilisation target',
      );
    } else if (d.kind === 'PersistentVolumeClaim') {
      r.mapped('', ['spec'], 'volumes[].size', 'read through the workload that mounts it');
    } else if (d.kind === 'ConfigMap' && usedConfigMaps.has(d.name)) {
      r.mapped('', ['data'], 'files[].content', 'the content of the files mounted from it');
      r.dropped('', ['metadata'], 'ferry sets its own metadata (names, labels, annotations)');
    } else if (!WORKLOADS.has(d.kind) && d.kind !== 'Service') {
      r.dropped('', [], KIND_DROPS[d.kind] ?? `${d.kind} is not modelled by ferry`);
    }
  }
  const entries: ImportResult['report'] = [];
  for (const d of docs) {
    const owner = [...services.entries()].find(([k]) => k === d.name)?.[1].manifest.service ?? '';
    for (const k of ['apiVersion', 'kind'])
      if (!d.report.covers([k])) d.report.mapped(owner, [k], '(format)');
    if (d.obj.status !== undefined) d.report.dropped(owner, ['status'], 'runtime state, not configuration');
    d.report.complete(d.obj, [], () => owner);
    entries.push(...d.report.entries());
  }
  return importResult(
    'kubernetes',
    files,
    [...services.values()].map(({ manifest, version, raw }) => ({
      manifest,
      version,
      ...(raw ? { raw } : {}),
    })),
    entries,
    opts,
  );
}
