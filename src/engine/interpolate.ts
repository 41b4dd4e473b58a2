// ${VAR} in platform values (database admin URLs, webhook URLs) resolved from the process
// environment at deploy time, so secrets never live in the platform file.
import { FerryError } from '../errors.ts';

export class MissingVariableError extends FerryError {
  constructor(name: string, where: string) {
    super('E_MISSING_VARIABLE', `${where} uses \${${name}}, which is not set`, {
      hint: `export ${name}=… before running ferry`,
    });
    this.name = 'MissingVariableError';
  }
}

export function interpolate(value: string, where: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new MissingVariableError(name, where);
    return v;
  });
}
