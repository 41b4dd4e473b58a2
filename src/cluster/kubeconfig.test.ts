// Reading kubeconfigs: what kubectl accepts is accepted the same way, what cannot work is refused
// with the file, the entry and what to do. (Each form against the real API server: test/cluster/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKubeTarget } from './kubeconfig.ts';
import { KubeconfigError } from './errors.ts';

function withDir(fn: (write: (name: string, text: string) => string, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kc-unit-'));
  try {
    fn((name, text) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const config = (user: string, cluster = `server: https://k.example.com:6443/`) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { ${cluster} } }]
users: [{ name: u, user: { ${user} } }]
contexts: [{ name: ctx, context: { cluster: c, user: u, namespace: team } }]
current-context: ctx
`;

const refused = (pattern: RegExp) => (e: unknown) =>
  e instanceof KubeconfigError && e.kind === 'invalid' && pattern.test(e.message);

test('a context resolves to its server, namespace and credentials; relative paths are the file’s', () => {
  withDir((write, dir) => {
    write('token', 'abc\n');
    const f = write('config', config('tokenFile: token, as: jane, as-groups: [ops, dev]'));
    const t = resolveKubeTarget({ kubeconfig: f, env: {} });
    assert.equal(t.server, 'https://k.example.com:6443');
    assert.equal(t.namespace, 'team');
    assert.equal(t.context, 'ctx');
    assert.equal(t.credentials.tokenFile, join(dir, 'token'));
    assert.deepEqual(t.credentials.impersonate, [
      ['Impersonate-User', 'jane'],
      ['Impersonate-Group', 'ops'],
      ['Impersonate-Group', 'dev'],
    ]);
  });
});

test('exec: a command with a slash is relative to the kubeconfig; a bare name is looked up on PATH', () => {
  withDir((write, dir) => {
    const exec = (cmd: string) =>
      `exec: { apiVersion: client.authentication.k8s.io/v1, command: ${cmd}, interactiveMode: Never }`;
    const rel = resolveKubeTarget({ kubeconfig: write('a', config(exec('bin/plugin'))), env: {} });
    assert.equal(rel.credentials.exec?.command, join(dir, 'bin/plugin'));
    const bare = resolveKubeTarget({ kubeconfig: write('b', config(exec('aws'))), env: {} });
    assert.equal(bare.credentials.exec?.command, 'aws');
  });
});

test('what cannot work is refused, naming the entry and what to use', () => {
  withDir((write) => {
    const load = (name: string, text: string, context?: string) => () =>
      resolveKubeTarget({ kubeconfig: write(name, text), context, env: {} });
    assert.throws(
      load('a', config('auth-provider: { name: gcp }')),
      refused(/auth-provider "gcp".*gke-gcloud-auth-plugin/),
    );
    assert.throws(load('b', config('username: a, password: b')), refused(/username\/password.*1\.19/));
    assert.throws(load('c', config('client-certificate-data: eA==')), refused(/certificate without its key/));
    assert.throws(
      load('d', config('exec: { apiVersion: client.authentication.k8s.io/v1, command: x }')),
      refused(/interactiveMode must be Never, IfAvailable or Always/),
    );
    assert.throws(
      load('e', config('exec: { apiVersion: client.authentication.k8s.io/v1alpha1, command: x }')),
      refused(/v1alpha1" is not supported/),
    );
    assert.throws(load('f', config('token: t'), 'prod'), refused(/context "prod" not found; known: ctx/));
    assert.throws(load('g', config('token: t', 'server: ftp://x')), refused(/not an http\(s\) URL/));
    assert.throws(
      load('h', config('token: t', 'server: https://x, certificate-authority: nope.crt')),
      refused(/cannot read certificate-authority .*nope\.crt/),
    );
    assert.throws(load('i', 'clusters: {}'), refused(/clusters must be a list/));
  });
});

test('no kubeconfig anywhere and no service account: one message saying where it looked', () => {
  withDir((_write, dir) => {
    assert.throws(
      () => resolveKubeTarget({ env: { HOME: dir }, serviceAccountDir: join(dir, 'none') }),
      refused(/KUBECONFIG is not set, ~\/\.kube\/config does not exist/),
    );
    assert.throws(
      () => resolveKubeTarget({ env: { HOME: dir, KUBECONFIG: join(dir, 'gone') } }),
      refused(/none of the files in KUBECONFIG exists/),
    );
  });
});
