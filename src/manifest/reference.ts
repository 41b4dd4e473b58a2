// The field reference of both files as Markdown tables, generated from the JSON Schema (itself
// generated from schema.ts), so docs/manifest.md never drifts from the format.

type Json = { [k: string]: unknown };

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeOf(s: Json): string {
  if (Array.isArray(s['enum'])) return (s['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s['const'] !== undefined) return `\`${String(s['const'])}\``;
  if (Array.isArray(s['anyOf'])) return [...new Set((s['anyOf'] as Json[]).map(typeOf))].join(' or ');
  switch (s['type']) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'true/false';
    case 'null':
      return 'null';
    case 'array':
      return isObj(s['items']) ? `list of ${typeOf(s['items'])}` : 'list';
    case 'object':
      return isObj(s['additionalProperties']) ? 'map' : 'object';
    default:
      return 'any';
  }
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

function walk(s: Json, path: string, required: boolean, rows: Row[], depth: number): void {
  if (depth > 12) return;
  if (path !== '') {
    rows.push({
      path,
      type: typeOf(s),
      required,
      description: typeof s['description'] === 'string' ? s['description'] : '',
    });
  }
  const branches = Array.isArray(s['anyOf']) ? (s['anyOf'] as Json[]) : [s];
  for (const b of branches) {
    if (b['type'] === 'object' && isObj(b['properties'])) {
      const req = new Set(Array.isArray(b['required']) ? (b['required'] as string[]) : []);
      for (const [k, v] of Object.entries(b['properties'])) {
        if (k === '$schema' || !isObj(v)) continue;
        walk(v, path === '' ? k : `${path}.${k}`, req.has(k), rows, depth + 1);
      }
    } else if (b['type'] === 'object' && isObj(b['additionalProperties'])) {
      const inner = b['additionalProperties'];
      const name = path.endsWith('environments')
        ? '<env>'
        : path.endsWith('env') || path.endsWith('secrets')
          ? '<NAME>'
          : '<key>';
      // an environment overlay repeats the service's fields: say so instead of listing them twice
      if (path === 'environments' && rows.some((r) => r.path === 'image')) {
        rows.push({
          path: `${path}.${name}`,
          type: 'overlay or null',
          required: false,
          description: 'Any service field except service and environments; null = no overrides.',
        });
        continue;
      }
      walk(inner, `${path}.${name}`, false, rows, depth + 1);
    } else if (b['type'] === 'array' && isObj(b['items'])) {
      const before = rows.length;
      walk(b['items'], `${path}[]`, false, rows, depth + 1);
      rows.splice(before, 1); // the item itself is described by the list row
    }
  }
}

function table(schema: Json): string {
  const rows: Row[] = [];
  walk(schema, '', true, rows, 0);
  const seen = new Set<string>();
  const unique = rows.filter((r) => (seen.has(r.path) ? false : (seen.add(r.path), true)));
  const esc = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| field | type | description and default |',
    '| --- | --- | --- |',
    ...unique.map(
      (r) =>
        `| \`${r.path}\`${r.required ? ' (required)' : ''} | ${r.type.includes('\\|') ? r.type : esc(r.type)} | ${esc(r.description)} |`,
    ),
  ].join('\n');
}

/** The generated section of docs/manifest.md. */
export function referenceMarkdown(service: Json, platform: Json): string {
  return ['### ferry.yaml', '', table(service), '', '### ferry.platform.yaml', '', table(platform), ''].join(
    '\n',
  );
}
