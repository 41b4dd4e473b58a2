// Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1), as EKS (`aws eks
// get-token`), GKE (`gke-gcloud-auth-plugin`) and AKS (`kubelogin`) kubeconfigs use: ferry runs
// the command with the kubeconfig's args and env plus KUBERNETES_EXEC_INFO, reads an
// ExecCredential from its stdout, and uses the token or client certificate it returns until its
// expirationTimestamp (or until the API server answers 401, then once more). Like kubectl, the
// plugin's stderr goes to ours (it may print instructions), and stdin is passed only when the
// plugin may be interactive and stdin is a terminal.
import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { ClusterCredentialsError, KubeconfigError } from './errors.ts';

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: [string, string][];
  installHint: string | undefined;
  provideClusterInfo: boolean;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  /** spec.cluster for provideClusterInfo (set by the kubeconfig reader) */
  cluster?: Record<string, unknown>;
  /** for messages: which user of which file */
  where: string;
}

export interface ExecCredential {
  token?: string;
  clientCert?: { cert: Buffer; key: Buffer };
  /** ms since the epoch; undefined: valid until the API server says otherwise */
  expiresAt: number | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseExecConfig(raw: unknown, where: string, dir: string): ExecConfig {
  if (!isObj(raw)) throw new KubeconfigError(`${where}: exec must be a mapping`);
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  if (!API_VERSIONS.includes(apiVersion)) {
    throw new KubeconfigError(
      `${where}: exec apiVersion "${apiVersion}" is not supported; use one of ${API_VERSIONS.join(', ')}`,
    );
  }
  const command = typeof raw.command === 'string' ? raw.command : '';
  if (!command) throw new KubeconfigError(`${where}: exec has no command`);
  const args = raw.args ?? [];
  if (!Array.isArray(args)) throw new KubeconfigError(`${where}: exec args must be a list`);
  const env: [string, string][] = [];
  if (raw.env !== undefined && raw.env !== null) {
    if (!Array.isArray(raw.env))
      throw new KubeconfigError(`${where}: exec env must be a list of {name, value}`);
    for (const e of raw.env as unknown[]) {
      if (!isObj(e) || typeof e.name !== 'string') {
        throw new KubeconfigError(`${where}: exec env must be a list of {name, value}`);
      }
      env.push([e.name, String(e.value ?? '')]);
    }
  }
  const mode = raw.interactiveMode ?? (apiVersion.endsWith('/v1') ? undefined : 'IfAvailable');
  if (mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') {
    throw new KubeconfigError(
      `${where}: exec interactiveMode must be Never, IfAvailable or Always (required with ${apiVersion})`,
    );
  }
  return {
    apiVersion,
    // like kubectl: a command with a slash is a path, relative to the kubeconfig's folder
    command: command.includes('/') && !isAbsolute(command) ? join(dir, command) : command,
    args: args.map(String),
    env,
    installHint: typeof raw.installHint === 'string' ? raw.installHint : undefined,
    provideClusterInfo: raw.provideClusterInfo === true,
    interactiveMode: mode,
    where,
  };
}

function fail(cfg: ExecConfig, message: string, cause?: unknown): ClusterCredentialsError {
  return new ClusterCredentialsError(
    `exec credential plugin ${cfg.command} (${cfg.where}): ${message}`,
    cfg.installHint,
    cause,
  );
}

/** Checks a plugin's stdout and takes the credential out of it. */
export function parseExecOutput(cfg: ExecConfig, stdout: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch (e) {
    throw fail(cfg, 'did not print an ExecCredential as JSON', e);
  }
  if (!isObj(doc) || doc.kind !== 'ExecCredential') throw fail(cfg, 'did not print an ExecCredential');
  if (doc.apiVersion !== cfg.apiVersion) {
    throw fail(
      cfg,
      `printed apiVersion "${String(doc.apiVersion)}", the kubeconfig asks for ${cfg.apiVersion}`,
    );
  }
  const status = isObj(doc.status) ? doc.status : {};
  const out: ExecCredential = { expiresAt: undefined };
  if (typeof status.token === 'string' && status.token !== '') out.token = status.token;
  const cert = status.clientCertificateData;
  const key = status.clientKeyData;
  if (typeof cert === 'string' && typeof key === 'string' && cert !== '' && key !== '') {
    out.clientCert = { cert: Buffer.from(cert), key: Buffer.from(key) };
  } else if (cert !== undefined || key !== undefined) {
    throw fail(cfg, 'returned a client certificate without its key, or a key without its certificate');
  }
  if (!out.token && !out.clientCert) throw fail(cfg, 'returned neither a token nor a client certificate');
  if (typeof status.expirationTimestamp === 'string') {
    const t = Date.parse(status.expirationTimestamp);
    if (Number.isNaN(t)) throw fail(cfg, `expirationTimestamp "${status.expirationTimestamp}" is not a time`);
    out.expiresAt = t;
  }
  return out;
}

/** Runs the plugin once. */
export function runExecPlugin(
  cfg: ExecConfig,
  stdinIsTTY = process.stdin.isTTY === true,
): Promise<ExecCredential> {
  const interactive = cfg.interactiveMode !== 'Never' && stdinIsTTY;
  if (cfg.interactiveMode === 'Always' && !interactive) {
    return Promise.reject(fail(cfg, 'needs a terminal (interactiveMode: Always) and stdin is not one'));
  }
  const spec: Obj = { interactive };
  if (cfg.provideClusterInfo && cfg.cluster) spec.cluster = cfg.cluster;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(cfg.env),
    KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: cfg.apiVersion, kind: 'ExecCredential', spec }),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(cfg.command, cfg.args, {
      env,
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(fail(cfg, e.code === 'ENOENT' ? 'not found' : e.message, e)),
    );
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(fail(cfg, signal ? `killed by ${signal}` : `exited with code ${code}`));
        return;
      }
      try {
        resolve(parseExecOutput(cfg, stdout));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** One plugin's current credential, run again when it expires or is refused. */
export class ExecCredentialSource {
  private current: Promise<ExecCredential> | undefined;
  constructor(
    private readonly cfg: ExecConfig,
    private readonly run: (cfg: ExecConfig) => Promise<ExecCredential> = runExecPlugin,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<ExecCredential> {
    if (this.current) {
      const c = await this.current.catch(() => undefined);
      // like client-go: renew a little before the expiry, not at it
      if (c && (c.expiresAt === undefined || c.expiresAt - 10_000 > this.now())) return c;
    }
    this.current = this.run(this.cfg);
    return this.current;
  }

  /** The API server refused the credential: the next get() runs the plugin again. */
  invalidate(): void {
    this.current = undefined;
  }
}
