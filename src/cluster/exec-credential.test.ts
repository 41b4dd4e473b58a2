// What an exec credential plugin prints is checked before it is used (the plugin itself runs
// against the real API server in test/cluster/kubeconfig-auth.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExecConfig, parseExecOutput } from './exec-credential.ts';
import { ClusterCredentialsError } from './errors.ts';

const cfg = parseExecConfig(
  {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'aws',
    args: ['eks', 'get-token'],
    interactiveMode: 'Never',
  },
  'user "u" in /k',
  '/',
);
const out = (status: unknown, apiVersion = 'client.authentication.k8s.io/v1') =>
  JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
const refused = (pattern: RegExp) => (e: unknown) =>
  e instanceof ClusterCredentialsError &&
  e.code === 'E_CLUSTER_CREDENTIALS' &&
  /exec credential plugin aws/.test(e.message) &&
  pattern.test(e.message);

test('a token with an expiry, or a client certificate with its key', () => {
  const t = parseExecOutput(cfg, out({ token: 'abc', expirationTimestamp: '2030-01-02T03:04:05Z' }));
  assert.equal(t.token, 'abc');
  assert.equal(t.expiresAt, Date.UTC(2030, 0, 2, 3, 4, 5));
  const c = parseExecOutput(cfg, out({ clientCertificateData: 'CERT', clientKeyData: 'KEY' }));
  assert.equal(c.clientCert?.cert.toString(), 'CERT');
  assert.equal(c.expiresAt, undefined);
});

test('anything else is refused with what was wrong', () => {
  assert.throws(() => parseExecOutput(cfg, 'Please log in'), refused(/not print an ExecCredential as JSON/));
  assert.throws(() => parseExecOutput(cfg, '{"kind":"Other"}'), refused(/did not print an ExecCredential/));
  assert.throws(
    () => parseExecOutput(cfg, out({ token: 'x' }, 'client.authentication.k8s.io/v1beta1')),
    refused(/printed apiVersion "client.authentication.k8s.io\/v1beta1"/),
  );
  assert.throws(() => parseExecOutput(cfg, out({})), refused(/neither a token nor a client certificate/));
  assert.throws(() => parseExecOutput(cfg, out({ clientCertificateData: 'C' })), refused(/without its key/));
  assert.throws(
    () => parseExecOutput(cfg, out({ token: 'x', expirationTimestamp: 'soon' })),
    refused(/"soon" is not a time/),
  );
});
