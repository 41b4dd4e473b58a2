// Reads a kubeconfig the way kubectl does and resolves one context into what a connection
// needs: the server, how to trust it, how to reach it (proxy) and who we are (credentials).
// - `--kubeconfig <file>`: that file only. Otherwise KUBECONFIG (a path list; missing files are
//   skipped; for clusters, users and contexts the first definition of a name wins, and the first
//   file that sets current-context wins), else ~/.kube/config, else the in-cluster service
//   account (KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/kubernetes.io/serviceaccount).
// - Relative file paths (certificates, keys, token files, an exec command with a slash) are
//   relative to the kubeconfig file that names them.
// - Users: client certificates, bearer tokens, token files (re-read every minute: projected
//   tokens rotate), exec credential plugins and impersonation. username/password and
//   auth-provider (removed from Kubernetes and kubectl) are refused with what to use instead.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { isIPv6 } from 'node:net';
import { parse } from 'yaml';
import { KubeconfigError } from './errors.ts';
import { parseExecConfig, type ExecConfig } from './exec-credential.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeconfigOptions {
  /** path of a kubeconfig; default KUBECONFIG, then ~/.kube/config, then the in-cluster account */
  kubeconfig?: string | undefined;
  /** context name; default the kubeconfig's current context */
  context?: string | undefined;
  /** where the in-cluster service account is mounted (tests point it elsewhere) */
  serviceAccountDir?: string;
  /** the environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_* from */
  env?: NodeJS.ProcessEnv;
}

/** Who we are to the API server. Any combination kubectl allows: a certificate and a bearer. */
export interface Credentials {
  clientCert?: { cert: Buffer; key: Buffer };
  token?: string;
  tokenFile?: string;
  exec?: ExecConfig;
  /** Impersonate-User, Impersonate-Group, Impersonate-Uid, Impersonate-Extra-* headers */
  impersonate: [string, string][];
}

/** One resolved context: everything a request needs. */
export interface KubeTarget {
  context: string;
  /** the context's namespace, else "default" */
  namespace: string;
  /** the API server's base URL, without a trailing slash */
  server: string;
  /** PEM CA certificates to trust (else the system's) */
  ca?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  credentials: Credentials;
  /** where it came from, for messages */
  source: string;
}

type Obj = Record<string, unknown>;

interface Named {
  name: string;
  body: Obj;
  /** the folder of the file that defined it (relative paths resolve against it) */
  dir: string;
  file: string;
}

interface Merged {
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
  currentContext: string | undefined;
  files: string[];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new KubeconfigError(`${where}: ${key} must be a string`);
  return v;
}

function readConfigFile(file: string, into: Merged): void {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(e as Error).message}`, e);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObj(doc)) throw new KubeconfigError(`kubeconfig ${file} is not a mapping`);
  into.files.push(file);
  const dir = dirname(file);
  for (const [key, map, inner] of [
    ['clusters', into.clusters, 'cluster'],
    ['users', into.users, 'user'],
    ['contexts', into.contexts, 'context'],
  ] as const) {
    const list = doc[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${file}: ${key} must be a list`);
    list.forEach((entry: unknown, i) => {
      const name = isObj(entry) ? entry.name : undefined;
      if (typeof name !== 'string' || name === '') {
        throw new KubeconfigError(`kubeconfig ${file}: ${key}[${i}] has no name`);
      }
      const body = isObj(entry) ? entry[inner] : undefined;
      if (!map.has(name)) map.set(name, { name, body: isObj(body) ? body : {}, dir, file });
    });
  }
  const current = doc['current-context'];
  if (into.currentContext === undefined && typeof current === 'string' && current !== '') {
    into.currentContext = current;
  }
}

function emptyMerged(): Merged {
  return { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined, files: [] };
}

/** The merged kubeconfig files, or undefined when there is none (then: in-cluster, if any). */
function loadFiles(opts: KubeconfigOptions, env: NodeJS.ProcessEnv): Merged | undefined {
  const merged = emptyMerged();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig))
      throw new KubeconfigError(`cannot read kubeconfig ${opts.kubeconfig}: no such file`);
    readConfigFile(opts.kubeconfig, merged);
    return merged;
  }
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  if (list.length > 0) {
    for (const f of list) if (existsSync(f)) readConfigFile(f, merged);
    if (merged.files.length === 0) {
      throw new KubeconfigError(`none of the files in KUBECONFIG exists (${list.join(delimiter)})`);
    }
    return merged;
  }
  const home = env.HOME || homedir();
  const fallback = join(home, '.kube', 'config');
  if (!existsSync(fallback)) return undefined;
  readConfigFile(fallback, merged);
  return merged;
}

function readPem(
  what: string,
  file: string | undefined,
  data: string | undefined,
  dir: string,
): Buffer | undefined {
  if (file) {
    const path = isAbsolute(file) ? file : join(dir, file);
    try {
      return readFileSync(path);
    } catch (e) {
      throw new KubeconfigError(`cannot read ${what} ${path}: ${(e as Error).message}`, e);
    }
  }
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

function credentialsOf(user: Named | undefined): Credentials {
  const c: Credentials = { impersonate: [] };
  if (!user) return c;
  const u = user.body;
  const where = `user "${user.name}" in ${user.file}`;
  if (u['auth-provider'] !== undefined) {
    const name = isObj(u['auth-provider']) ? String(u['auth-provider'].name) : '?';
    throw new KubeconfigError(
      `${where} uses auth-provider "${name}", which Kubernetes clients no longer support; use an exec credential plugin (gke-gcloud-auth-plugin, kubelogin, aws eks get-token)`,
    );
  }
  if (u.username !== undefined || u.password !== undefined) {
    throw new KubeconfigError(
      `${where} uses username/password, which Kubernetes removed in 1.19; use a token, a client certificate or an exec plugin`,
    );
  }
  const cert = readPem(
    'client-certificate',
    str(u, 'client-certificate', where),
    str(u, 'client-certificate-data', where),
    user.dir,
  );
  const key = readPem('client-key', str(u, 'client-key', where), str(u, 'client-key-data', where), user.dir);
  if (cert && key) c.clientCert = { cert, key };
  else if (cert || key)
    throw new KubeconfigError(
      `${where} has a client certificate without its key, or a key without its certificate`,
    );
  const token = str(u, 'token', where);
  // kubectl's key is tokenFile; token-file is what @kubernetes/client-node read, kept working
  const tokenFile = str(u, 'tokenFile', where) ?? str(u, 'token-file', where);
  if (token) c.token = token;
  else if (tokenFile) c.tokenFile = isAbsolute(tokenFile) ? tokenFile : join(user.dir, tokenFile);
  if (u.exec !== undefined) c.exec = parseExecConfig(u.exec, where, user.dir);
  const as = str(u, 'as', where);
  if (as) c.impersonate.push(['Impersonate-User', as]);
  const groups = u['as-groups'];
  if (Array.isArray(groups)) for (const g of groups) c.impersonate.push(['Impersonate-Group', String(g)]);
  const uid = str(u, 'as-uid', where);
  if (uid) c.impersonate.push(['Impersonate-Uid', uid]);
  const extra = u['as-user-extra'];
  if (isObj(extra)) {
    for (const [k, vs] of Object.entries(extra)) {
      for (const v of Array.isArray(vs) ? vs : [vs])
        c.impersonate.push([`Impersonate-Extra-${encodeURIComponent(k)}`, String(v)]);
    }
  }
  return c;
}

function fromFiles(m: Merged, wanted: string | undefined): KubeTarget {
  const source = m.files.join(delimiter);
  const name = wanted ?? m.currentContext;
  if (!name) throw new KubeconfigError(`the kubeconfig (${source}) has no current context`);
  const ctx = m.contexts.get(name);
  if (!ctx) {
    throw new KubeconfigError(
      `context "${name}" not found; known: ${[...m.contexts.keys()].join(', ') || 'none'}`,
    );
  }
  const clusterName = str(ctx.body, 'cluster', `context "${name}"`);
  const cluster = clusterName === undefined ? undefined : m.clusters.get(clusterName);
  if (!cluster) {
    throw new KubeconfigError(
      `context "${name}" names cluster "${clusterName ?? ''}", which the kubeconfig (${source}) does not define`,
    );
  }
  const where = `cluster "${cluster.name}" in ${cluster.file}`;
  const server = str(cluster.body, 'server', where);
  if (!server) throw new KubeconfigError(`${where} has no server`);
  if (!/^https?:\/\//.test(server))
    throw new KubeconfigError(`${where}: server "${server}" is not an http(s) URL`);
  const userName = str(ctx.body, 'user', `context "${name}"`);
  const user = userName === undefined ? undefined : m.users.get(userName);
  if (userName !== undefined && !user) {
    throw new KubeconfigError(
      `context "${name}" names user "${userName}", which the kubeconfig (${source}) does not define`,
    );
  }
  const ca = readPem(
    'certificate-authority',
    str(cluster.body, 'certificate-authority', where),
    str(cluster.body, 'certificate-authority-data', where),
    cluster.dir,
  );
  const base = server.replace(/\/+$/, '');
  const target: KubeTarget = {
    context: name,
    namespace: str(ctx.body, 'namespace', `context "${name}"`) ?? 'default',
    server: base,
    insecureSkipTlsVerify: cluster.body['insecure-skip-tls-verify'] === true,
    credentials: credentialsOf(user),
    source,
  };
  if (ca) target.ca = ca;
  const sni = str(cluster.body, 'tls-server-name', where);
  if (sni) target.tlsServerName = sni;
  const proxy = str(cluster.body, 'proxy-url', where);
  if (proxy) target.proxyUrl = proxy;
  if (target.credentials.exec) target.credentials.exec.cluster = execClusterInfo(target, cluster.body);
  return target;
}

/** What an exec plugin with provideClusterInfo gets as spec.cluster (CA as data, always). */
function execClusterInfo(t: KubeTarget, raw: Obj): Obj {
  const info: Obj = { server: t.server };
  if (t.tlsServerName) info['tls-server-name'] = t.tlsServerName;
  if (t.insecureSkipTlsVerify) info['insecure-skip-tls-verify'] = true;
  if (t.ca) info['certificate-authority-data'] = t.ca.toString('base64');
  if (t.proxyUrl) info['proxy-url'] = t.proxyUrl;
  const ext = raw.extensions;
  if (Array.isArray(ext)) {
    const own = ext.find((e: unknown) => isObj(e) && e.name === 'client.authentication.k8s.io/exec');
    if (isObj(own) && own.extension !== undefined) info.config = own.extension;
  }
  return info;
}

function inCluster(env: NodeJS.ProcessEnv, dir: string): KubeTarget | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const ns = join(dir, 'namespace');
  const ca = join(dir, 'ca.crt');
  const target: KubeTarget = {
    context: 'in-cluster',
    namespace: existsSync(ns) ? readFileSync(ns, 'utf8').trim() || 'default' : 'default',
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    insecureSkipTlsVerify: false,
    credentials: { tokenFile, impersonate: [] },
    source: `the in-cluster service account (${dir})`,
  };
  if (existsSync(ca)) target.ca = readFileSync(ca);
  return target;
}

/** Loads the kubeconfig (or the in-cluster account) and resolves the context to use. */
export function resolveKubeTarget(opts: KubeconfigOptions = {}): KubeTarget {
  const env = opts.env ?? process.env;
  const merged = loadFiles(opts, env);
  if (merged) return fromFiles(merged, opts.context);
  const pod = inCluster(env, opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (pod) {
    if (opts.context && opts.context !== pod.context) {
      throw new KubeconfigError(`context "${opts.context}" not found; known: ${pod.context}`);
    }
    return pod;
  }
  throw new KubeconfigError(
    'no kubeconfig: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod with a service account',
  );
}
