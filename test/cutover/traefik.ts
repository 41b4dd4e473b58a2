// A real Traefik v3 (built from its Go module by scripts/traefik/install.sh) on loopback, with its
// Kubernetes CRD provider watching one namespace of the test cluster through the test kubeconfig,
// ExternalName services allowed, and its API on a second loopback port to see what it loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testKubeconfigPath } from '../kit/cluster.ts';
import { traefikCache } from './kit.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Traefik {
  port: number;
  apiPort: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startTraefik(namespace: string, opts: { trustForwarded: boolean }): Promise<Traefik> {
  const bin = join(traefikCache('proxy'), 'traefik');
  const [port, apiPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: testKubeconfigPath() };
  delete env.KUBERNETES_SERVICE_HOST;
  const child: ChildProcess = spawn(
    bin,
    [
      `--entryPoints.web.address=127.0.0.1:${port}`,
      ...(opts.trustForwarded ? ['--entryPoints.web.forwardedHeaders.trustedIPs=127.0.0.1/32'] : []),
      `--entryPoints.traefik.address=127.0.0.1:${apiPort}`,
      '--api.insecure=true',
      '--providers.kubernetesCRD=true',
      `--providers.kubernetesCRD.namespaces=${namespace}`,
      '--providers.kubernetesCRD.allowExternalNameServices=true',
      '--providers.providersThrottleDuration=200ms',
      '--log.level=INFO',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return {
    port,
    apiPort,
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
