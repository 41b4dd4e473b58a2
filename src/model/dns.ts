// Host names as the Kubernetes API server accepts them in an Ingress (a DNS-1123 subdomain,
// optionally with a leading "*." wildcard), checked when the manifest is read — with the rewrite
// people mean when they write a URL, capitals or an underscore — so they never reach `apply`.

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Why `host` is not a host name the API server takes, with the fix; undefined when it is one. */
export function hostProblem(host: string): { message: string; hint: string } | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]*)/i.exec(host);
  if (url) {
    return {
      message: `"${host}" is a URL, not a host name`,
      hint: `write ${url[1]?.toLowerCase() ?? 'the host alone'} (the scheme follows the environment's TLS; paths go in path:)`,
    };
  }
  if (/[/:?#]/.test(host)) {
    return {
      message: `"${host}" holds a ${host.includes(':') ? 'port' : 'path'}`,
      hint: `write the host alone${host.includes('/') ? '; put the path in path:' : ''}`,
    };
  }
  if (host !== host.toLowerCase()) {
    return {
      message: `"${host}" has capitals: Kubernetes takes host names in lowercase`,
      hint: `write ${host.toLowerCase()}`,
    };
  }
  if (host.length > 253) return { message: `"${host}" is longer than 253 characters`, hint: 'shorten it' };
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  for (const l of labels) {
    if (LABEL.test(l)) continue;
    const bad =
      l === ''
        ? 'an empty label (two dots, or a dot at an end)'
        : l.length > 63
          ? `"${l}" (over 63 characters)`
          : `"${l}"`;
    const fix = l.includes('_')
      ? `write ${host.replace(/_/g, '-')}: "_" is not allowed in host names`
      : 'use lowercase letters, digits and "-" between the dots';
    return { message: `"${host}" is not a DNS name: ${bad}`, hint: fix };
  }
  return undefined;
}
