// For tests: a project with two services (web, api) and a platform file whose prod environment has
// a cut-over, for a given driver. Not part of the build (tsconfig.build.json leaves out testing.ts
// files; this one is imported by tests only).
import type { LoadedApp } from '../manifest/load.ts';
import { appFromTexts } from '../manifest/memory.ts';
import type { CutoverDriver } from './cutover.ts';

export const SERVICE_WEB = `service: web
image: registry.example.com/shop/web
port: 8080
routes:
  - { public: true }
  - { host: www.example.com, public: true }
`;

export const SERVICE_API = `service: api
image: registry.example.com/shop/api
port: 9000
routes:
  - { path: /api, public: true }
`;

export function platformText(driver: CutoverDriver, cutoverExtra = '', envExtra = ''): string {
  return `environments:
  prod:
    namespace: shop
    domain: example.com
    tls: { wildcard: wildcard-prod-tls }
${envExtra}cutover:
  prod:
    driver: ${driver}
${driver === 'gateway-api' ? '    gateway: { name: public, namespace: gateways }\n' : ''}    services:
      web:
        old: { host: old-lb.example.net, port: 80 }
      api:
        old: { address: 192.0.2.10, port: 443, tls: true, tlsName: api.old.example.net }
    steps:
      - maintenance: "on"
      - drain: { command: "true" }
      - run: { name: move-database, confirm: "the database answers on the new platform" }
      - services: "on"
      - maintenance: "off"
      - weights: [5, 25, 50, 100]
        observe: 0s
${cutoverExtra}`;
}

export function cutoverApp(driver: CutoverDriver, cutoverExtra = ''): LoadedApp {
  return appFromTexts({ file: '/virtual/ferry.platform.yaml', text: platformText(driver, cutoverExtra) }, [
    { file: '/virtual/web/ferry.yaml', text: SERVICE_WEB },
    { file: '/virtual/api/ferry.yaml', text: SERVICE_API },
  ]);
}
