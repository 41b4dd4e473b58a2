// Routing labels that old platforms' proxies read → ferry routes, where recognisable:
// Traefik v2/v3 (`traefik.http.routers.<r>.rule`), Traefik v1 (`traefik.frontend.rule`), and
// kompose's own `kompose.service.expose`.

export interface ParsedRoute {
  host: string | undefined;
  path: string | undefined;
}

/** Traefik v2 rule: Host(`a.com`) && PathPrefix(`/api`), Host(`a`,`b`) or Host(`a`) || Host(`b`). */
export function parseTraefikV2Rule(rule: string): ParsedRoute[] | undefined {
  const hosts: string[] = [];
  const paths: string[] = [];
  const re = /(Host|HostSNI|PathPrefix|Path)\(([^)]*)\)/g;
  let m: RegExpExecArray | null;
  let matched = 0;
  while ((m = re.exec(rule)) !== null) {
    matched++;
    const args = [...(m[2] ?? '').matchAll(/[`"']([^`"']*)[`"']/g)].map((a) => a[1] ?? '');
    if (m[1] === 'Host' || m[1] === 'HostSNI') hosts.push(...args);
    else paths.push(...args);
  }
  if (matched === 0) return undefined;
  // Anything besides Host/Path/PathPrefix, &&, || and parentheses cannot be expressed.
  const rest = rule.replace(re, '').replace(/&&|\|\||[()\s]/g, '');
  if (rest !== '') return undefined;
  return cross(hosts, paths);
}

/** Traefik v1 rule: "Host:a.com,b.com;PathPrefix:/api". */
export function parseTraefikV1Rule(rule: string): ParsedRoute[] | undefined {
  const hosts: string[] = [];
  const paths: string[] = [];
  for (const part of rule.split(';')) {
    const [kind, value] = part.split(':', 2);
    const items = (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (kind === 'Host') hosts.push(...items);
    else if (kind === 'PathPrefix' || kind === 'Path' || kind === 'PathPrefixStrip') paths.push(...items);
    else return undefined;
  }
  return cross(hosts, paths);
}

/** kompose.service.expose: "true" or "a.com/dev,b.com". */
export function parseKomposeExpose(value: string): ParsedRoute[] {
  if (value.trim().toLowerCase() === 'true') return [{ host: undefined, path: undefined }];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const slash = s.indexOf('/');
      return slash < 0 ? { host: s, path: undefined } : { host: s.slice(0, slash), path: s.slice(slash) };
    });
}

function cross(hosts: string[], paths: string[]): ParsedRoute[] {
  const hs: (string | undefined)[] = hosts.length > 0 ? hosts : [undefined];
  const ps: (string | undefined)[] = paths.length > 0 ? paths : [undefined];
  return hs.flatMap((host) => ps.map((path) => ({ host, path })));
}
