// The maintenance page: ferry's own (nginx from a ConfigMap, answering every path with 503 and
// Retry-After, and 200 on /healthz for its probe), the user's image (which must answer 503
// itself), or a page running elsewhere (a backend like the old platform's).
import { DEFAULT_MAINTENANCE_IMAGE, type CutoverPlan } from '../../model/cutover.ts';
import { renderBackend } from './backend.ts';
import { meta, PAGE_PORT, pageName, type CutoverObject } from './common.ts';

export function pageNginxConf(retryAfterSeconds: number): string {
  return [
    'server {',
    `  listen ${PAGE_PORT} default_server;`,
    '  location = /healthz { return 200 "ok\\n"; }',
    '  error_page 503 /503.html;',
    `  location / { add_header Retry-After ${retryAfterSeconds} always; return 503; }`,
    `  location = /503.html { internal; root /etc/ferry-page; add_header Retry-After ${retryAfterSeconds} always; }`,
    '}',
    '',
  ].join('\n');
}

export const PAGE_HTML =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Down for maintenance</title>' +
  '<body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>Down for maintenance</h1>' +
  '<p>We are moving to a new platform and will be back shortly.</p></body></html>\n';

export function renderPage(plan: CutoverPlan): CutoverObject[] {
  const name = pageName(plan);
  const src = plan.maintenance.source;
  if (src.kind === 'backend') return renderBackend(plan, name, src.backend, 'maintenance');
  const selector = { 'app.kubernetes.io/name': name, 'ferry.dev/cutover-page': plan.name };
  const m = meta(plan, name, 'maintenance');
  const own = src.image === DEFAULT_MAINTENANCE_IMAGE;
  const objects: CutoverObject[] = [];
  if (own)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: m,
      data: { 'default.conf': pageNginxConf(plan.maintenance.retryAfterSeconds), '503.html': PAGE_HTML },
    });
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: m,
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...m.labels, ...selector } },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'page',
              image: src.image,
              ports: [{ name: 'http', containerPort: PAGE_PORT }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
              resources: {
                limits: { cpu: '100m', memory: '64Mi' },
                requests: { cpu: '10m', memory: '32Mi' },
              },
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
              ...(own
                ? {
                    volumeMounts: [
                      { name: 'conf', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'default.conf' },
                      { name: 'conf', mountPath: '/etc/ferry-page/503.html', subPath: '503.html' },
                    ],
                  }
                : {}),
            },
          ],
          ...(own ? { volumes: [{ name: 'conf', configMap: { name } }] } : {}),
        },
      },
    },
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: m,
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: PAGE_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  return objects;
}
