// Every way a kubeconfig says who we are, through ferry's client against the real API server:
// client certificates (data and files), bearer tokens, token files (renewed after a 401),
// exec credential plugins (v1 and v1beta1; token and client certificate; cached until expiry,
// run again after a 401; KUBERNETES_EXEC_INFO), impersonation, the in-cluster service account,
// and KUBERNETES lists of files. The API server's SelfSubjectReview says who it saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { ClusterApiError, ClusterCredentialsError } from '../../src/cluster/errors.ts';
import { withNamespace } from '../kit/cluster.ts';
import {
  adminParts,
  b64,
  clientFor,
  ConfigDir,
  saToken,
  serviceAccount,
  trustedCluster,
  adminUser,
  waitRevoked,
  whoami,
} from '../kit/kubeconfig.ts';

const configMap = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  data: { k: 'v' },
});

test('client certificate as data and as files (relative to the kubeconfig), CA as data and as a file', async () => {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const inline = d.kubeconfig('inline', trustedCluster(a), adminUser(a));
    assert.equal(await whoami(clientFor(inline)), 'ferry-admin');
    d.file('ca.crt', a.ca);
    d.file('admin.crt', a.cert);
    d.file('admin.key', a.key);
    const files = d.kubeconfig(
      'files',
      { server: a.server, 'certificate-authority': 'ca.crt' },
      { 'client-certificate': 'admin.crt', 'client-key': './admin.key' },
    );
    assert.equal(await whoami(clientFor(files)), 'ferry-admin');
  } finally {
    d.remove();
  }
});

test('a bearer token and a token file; a token file that went stale is read again after the 401', async () => {
  await withNamespace('kc-token', async (ns) => {
    const a = adminParts();
    const d = new ConfigDir();
    try {
      await serviceAccount(ns, 'deployer');
      await serviceAccount(ns, 'second');
      const cluster = trustedCluster(a);
      const token = await saToken(ns.core, ns.namespace, 'deployer');
      const c = clientFor(d.kubeconfig('token', cluster, { token }));
      assert.equal(await whoami(c), `system:serviceaccount:${ns.namespace}:deployer`);
      await c.apply(configMap('by-token', ns.namespace));
      const got = await c.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'by-token',
        namespace: ns.namespace,
      });
      assert.deepEqual(got?.data, { k: 'v' });
      // the token may not do what its role does not allow: a real answer, not a client-side check
      await assert.rejects(
        c.list('v1', 'Namespace', undefined, ''),
        (e: unknown) => e instanceof ClusterApiError && e.status === 403,
      );

      // tokenFile (kubectl's key), relative to the kubeconfig; bound to a Secret so it can go stale
      const stale = await saToken(ns.core, ns.namespace, 'deployer', 'bound-1');
      d.file('token', stale);
      const tf = clientFor(d.kubeconfig('token-file', cluster, { tokenFile: 'token' }));
      assert.equal(await whoami(tf), `system:serviceaccount:${ns.namespace}:deployer`);
      // rotate: the file now holds a token of another account, and the old one is revoked
      d.file('token', await saToken(ns.core, ns.namespace, 'second'));
      await ns.core.deleteNamespacedSecret({ name: 'bound-1', namespace: ns.namespace });
      await waitRevoked(d, a, stale);
      assert.equal(
        await whoami(tf),
        `system:serviceaccount:${ns.namespace}:second`,
        'read again after the 401',
      );
    } finally {
      d.remove();
    }
  });
});

/** An exec plugin: prints what `out` holds, logs each run and its KUBERNETES_EXEC_INFO. */
function plugin(d: ConfigDir, out: string): { runs: () => string[] } {
  d.file(
    'plugin.sh',
    `#!/bin/sh
printf '%s\\n' "$KUBERNETES_EXEC_INFO" >> "$(dirname "$0")/runs.log"
[ "$PLUGIN_MODE" = fail ] && { echo "plugin: not logged in" >&2; exit 3; }
cat "$(dirname "$0")/${out}"
`,
    0o700,
  );
  return {
    runs: () => {
      try {
        return readFileSync(`${d.dir}/runs.log`, 'utf8').trim().split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}

const credential = (apiVersion: string, status: Record<string, unknown>) =>
  JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

test('exec plugin (v1) with a token: KUBERNETES_EXEC_INFO, cached until it expires, run again after a 401', async () => {
  await withNamespace('kc-exec', async (ns) => {
    const a = adminParts();
    const d = new ConfigDir();
    try {
      await serviceAccount(ns, 'deployer');
      await serviceAccount(ns, 'second');
      const v1 = 'client.authentication.k8s.io/v1';
      const far = new Date(Date.now() + 3_600_000).toISOString();
      const stale = await saToken(ns.core, ns.namespace, 'deployer', 'bound-2');
      d.file('cred.json', credential(v1, { token: stale, expirationTimestamp: far }));
      const p = plugin(d, 'cred.json');
      const kc = d.kubeconfig(
        'exec',
        {
          server: a.server,
          'certificate-authority-data': b64(a.ca),
          extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'ferry-test' } }],
        },
        {
          exec: {
            apiVersion: v1,
            command: './plugin.sh', // relative to the kubeconfig's folder, as kubectl resolves it
            args: ['token'],
            env: [{ name: 'PLUGIN_MODE', value: 'ok' }],
            interactiveMode: 'Never',
            provideClusterInfo: true,
          },
        },
      );
      const c = clientFor(kc);
      assert.equal(await whoami(c), `system:serviceaccount:${ns.namespace}:deployer`);
      await c.apply(configMap('by-plugin', ns.namespace));
      await whoami(c);
      assert.equal(p.runs().length, 1, 'one run while the credential is valid');
      const info = JSON.parse(p.runs()[0] ?? '{}') as {
        apiVersion: string;
        kind: string;
        spec: {
          interactive: boolean;
          cluster: { server: string; 'certificate-authority-data': string; config: unknown };
        };
      };
      assert.equal(info.apiVersion, v1);
      assert.equal(info.kind, 'ExecCredential');
      assert.equal(info.spec.interactive, false);
      assert.equal(info.spec.cluster.server, a.server);
      assert.equal(Buffer.from(info.spec.cluster['certificate-authority-data'], 'base64').toString(), a.ca);
      assert.deepEqual(info.spec.cluster.config, { audience: 'ferry-test' });

      // revoked on the server: the 401 makes the client run the plugin again, which has a new token
      d.file(
        'cred.json',
        credential(v1, { token: await saToken(ns.core, ns.namespace, 'second'), expirationTimestamp: far }),
      );
      await ns.core.deleteNamespacedSecret({ name: 'bound-2', namespace: ns.namespace });
      await waitRevoked(d, a, stale);
      assert.equal(await whoami(c), `system:serviceaccount:${ns.namespace}:second`);
      assert.equal(p.runs().length, 2);

      // an expired credential is not reused
      const past = new Date(Date.now() - 1000).toISOString();
      d.file(
        'cred.json',
        credential(v1, { token: await saToken(ns.core, ns.namespace, 'second'), expirationTimestamp: past }),
      );
      const fresh = clientFor(kc);
      await whoami(fresh);
      await whoami(fresh);
      // three requests (discovery of authentication.k8s.io/v1, two reviews): three more runs
      assert.equal(p.runs().length, 5, 'run for each request while what it returns is expired');
    } finally {
      d.remove();
    }
  });
});

test('exec plugin (v1beta1) returning a client certificate; a failing or missing plugin is E_CLUSTER_CREDENTIALS', async () => {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const beta = 'client.authentication.k8s.io/v1beta1';
    d.file('cert.json', credential(beta, { clientCertificateData: a.cert, clientKeyData: a.key }));
    plugin(d, 'cert.json');
    const cluster = trustedCluster(a);
    const exec = { apiVersion: beta, command: `${d.dir}/plugin.sh` };
    assert.equal(await whoami(clientFor(d.kubeconfig('cert', cluster, { exec }))), 'ferry-admin');

    const failing = {
      ...exec,
      env: [{ name: 'PLUGIN_MODE', value: 'fail' }],
      installHint: 'run: acme login',
    };
    await assert.rejects(
      whoami(clientFor(d.kubeconfig('fail', cluster, { exec: failing }))),
      (e: unknown) =>
        e instanceof ClusterCredentialsError &&
        e.code === 'E_CLUSTER_CREDENTIALS' &&
        /exited with code 3/.test(e.message) &&
        e.hint === 'run: acme login',
    );
    const missing = { ...exec, command: 'ferry-no-such-plugin' };
    await assert.rejects(
      whoami(clientFor(d.kubeconfig('missing', cluster, { exec: missing }))),
      (e: unknown) =>
        e instanceof ClusterCredentialsError && /ferry-no-such-plugin.*not found/.test(e.message),
    );
    // the wrong apiVersion back is refused, not half-used
    d.file('wrong.json', credential('client.authentication.k8s.io/v1', { token: 'x' }));
    plugin(d, 'wrong.json');
    await assert.rejects(
      whoami(clientFor(d.kubeconfig('wrong', cluster, { exec }))),
      (e: unknown) =>
        e instanceof ClusterCredentialsError &&
        /asks for client.authentication.k8s.io\/v1beta1/.test(e.message),
    );
  } finally {
    d.remove();
  }
});

test('impersonation (as, as-groups) is sent and honoured by the API server', async () => {
  await withNamespace('kc-as', async (ns) => {
    const a = adminParts();
    const d = new ConfigDir();
    try {
      await serviceAccount(ns, 'deployer');
      const who = `system:serviceaccount:${ns.namespace}:deployer`;
      const c = clientFor(
        d.kubeconfig('as', trustedCluster(a), {
          'client-certificate-data': b64(a.cert),
          'client-key-data': b64(a.key),
          as: who,
          'as-groups': ['system:serviceaccounts', 'system:authenticated'],
        }),
      );
      assert.equal(await whoami(c), who);
      await assert.rejects(
        c.list('v1', 'Namespace', undefined, ''),
        (e: unknown) => e instanceof ClusterApiError && e.status === 403,
      );
    } finally {
      d.remove();
    }
  });
});

test('in-cluster: the service account token, CA and namespace files, with no kubeconfig at all', async () => {
  await withNamespace('kc-pod', async (ns) => {
    const a = adminParts();
    const d = new ConfigDir();
    try {
      await serviceAccount(ns, 'deployer');
      d.file('token', await saToken(ns.core, ns.namespace, 'deployer'));
      d.file('ca.crt', a.ca);
      d.file('namespace', ns.namespace);
      const u = new URL(a.server);
      const env = { HOME: d.dir, KUBERNETES_SERVICE_HOST: u.hostname, KUBERNETES_SERVICE_PORT: u.port };
      const c = new KubeCluster({
        env,
        serviceAccountDir: d.dir,
        backoff: { attempts: 1, baseMs: 1, maxMs: 1 },
      });
      assert.equal(c.context, 'in-cluster');
      assert.equal(await whoami(c), `system:serviceaccount:${ns.namespace}:deployer`);
      // a namespaced object without a namespace goes to the pod's namespace
      const made = await c.apply(configMap('in-pod'));
      assert.equal(made.metadata.namespace, ns.namespace);
    } finally {
      d.remove();
    }
  });
});

test('KUBECONFIG lists files: missing ones skipped, the first definition and current-context win', async () => {
  const a = adminParts();
  const d = new ConfigDir();
  try {
    const good = d.kubeconfig('one', trustedCluster(a), adminUser(a));
    // same names, a dead server: must not override the first file's definitions
    const shadow = d.kubeconfig('two', { server: 'https://127.0.0.1:1' }, { token: 'nope' });
    const env = { KUBECONFIG: [`${d.dir}/missing`, good, shadow].join(':'), HOME: d.dir };
    const c = new KubeCluster({ env, backoff: { attempts: 1, baseMs: 1, maxMs: 1 } });
    assert.equal(c.context, 'ctx');
    assert.equal(await whoami(c), 'ferry-admin');
  } finally {
    d.remove();
  }
});
