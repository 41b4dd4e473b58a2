// `ferry validate [path…]`: every file of the app — schema, cross-file references, and every
// service resolved in every environment it runs in. All problems at once; exit 2 when invalid.
import type { Command } from 'commander';
import { InvalidInputError, type Issue } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { createPrinter, type GlobalOptions } from '../output.ts';

export interface ValidateResult {
  path: string;
  platform: string | null;
  services: string[];
  environments: string[];
  workloads: number;
}

/** Every problem of one app in one round: the schema's, and the model's and renderer's on what is valid. */
async function checkPath(path: string): Promise<{ app: LoadedApp; workloads: number }> {
  const { loadAppForCheck } = await import('../../manifest/load.ts');
  const { sortIssues } = await import('../../manifest/parse.ts');
  const { checkApp, checkRender } = await import('../../model/check.ts');
  const { renderKubernetes } = await import('../../render/kubernetes/index.ts');
  const { app, issues } = await loadAppForCheck(path);
  const found = new Map<string, Issue>();
  const add = (list: readonly Issue[]): void => {
    for (const i of list) found.set(`${i.loc?.file}:${i.loc?.line}:${i.loc?.col}:${i.path}:${i.message}`, i);
  };
  add(issues);
  let workloads = 0;
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (err instanceof InvalidInputError) add(err.issues);
      else throw err;
    }
  };
  if (app) {
    attempt(() => (workloads = checkApp(app).workloads));
    attempt(() => checkRender(app, renderKubernetes));
  }
  if (found.size > 0 || !app) throw new InvalidInputError(sortIssues([...found.values()]));
  return { app, workloads };
}

export async function validate(paths: readonly string[]): Promise<ValidateResult[]> {
  const results: ValidateResult[] = [];
  const issues: Issue[] = [];
  for (const path of paths) {
    try {
      const { app, workloads } = await checkPath(path);
      const summary = { workloads };
      results.push({
        path,
        platform: app.platform.file ?? null,
        services: app.services.map((s) => s.name),
        environments: Object.keys(app.platform.manifest.environments),
        workloads: summary.workloads,
      });
    } catch (err) {
      if (err instanceof InvalidInputError && paths.length > 1) issues.push(...err.issues);
      else throw err;
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return results;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check ferry.platform.yaml and every ferry.yaml: all problems at once, exit 2 when invalid')
    .argument('[path...]', 'folders or files to check (default: -C or the current folder)')
    .action(async (paths: string[], _flags: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const out = createPrinter(g);
      const results = await validate(paths.length > 0 ? paths : [g.dir ?? '.']);
      out.json({ ok: true, apps: results });
      for (const r of results) {
        const s = r.services.length;
        const e = r.environments.length;
        out.line(
          `${out.style.green('ok')}: ${s} service${s === 1 ? '' : 's'}, ${e} environment${e === 1 ? '' : 's'}${results.length > 1 ? ` (${r.path})` : ''}`,
        );
      }
    });
}
