// ${service}, ${env}, ${version}, ${namespace}, ${domain} in env values; "$${" writes a literal "${".
import { FerryError } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';

export const VARIABLES = ['service', 'env', 'version', 'namespace', 'domain'] as const;
export type Variable = (typeof VARIABLES)[number];
export type Variables = Partial<Record<Variable, string>>;

export class InterpolationError extends FerryError {
  constructor(message: string, hint: string) {
    super('E_INTERPOLATE', message, { hint });
    this.name = 'InterpolationError';
  }
}

const TOKEN = /\$\$\{|\$\{([^}]*)\}/g;

/** The variable names a text refers to (escapes excluded), in order of appearance. */
export function variablesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

export function interpolate(text: string, vars: Variables): string {
  if (text.replace(TOKEN, '').includes('${')) {
    throw new InterpolationError(
      `unclosed "\${" in ${JSON.stringify(text)}`,
      'close it with "}" or write "$${" for a literal "${"',
    );
  }
  return text.replace(TOKEN, (whole, name: string | undefined) => {
    if (name === undefined) return '${';
    const key = name.trim();
    if (!(VARIABLES as readonly string[]).includes(key)) {
      throw new InterpolationError(
        `unknown variable \${${name}}`,
        `${didYouMean(key, VARIABLES, 'variables')}; write "$\${" for a literal "\${"`,
      );
    }
    const value = vars[key as Variable];
    if (value === undefined) {
      throw new InterpolationError(
        `\${${key}} has no value here`,
        key === 'domain'
          ? 'give the environment a domain in ferry.platform.yaml'
          : `${whole} is not available here`,
      );
    }
    return value;
  });
}
