// Paths in what a project source hands out are relative to the project's root (the repository
// root for a git project), never the server's cache folders: a located error names
// `deploy/ferry/ferry.yaml:3:7`, which means something to whoever pushed the commit.
import { isAbsolute, relative, sep } from 'node:path';
import { FerryError, InvalidInputError, type Issue, type Location } from '../../errors.ts';
import type { LoadedApp, Locate } from '../../manifest/load.ts';

/** `file` relative to `root` when it lies inside it; as it is otherwise. */
export function relativeTo(root: string, file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(root, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}

/** The same text with `root`'s absolute and cwd-relative spellings taken out of its paths. */
export function relocateText(root: string, text: string): string {
  const fromCwd = relative(process.cwd(), root);
  let out = text.split(`${root}${sep}`).join('');
  if (fromCwd !== '' && !isAbsolute(fromCwd)) out = out.split(`${fromCwd}${sep}`).join('');
  return out.split(root).join('.');
}

function relocateLocation(root: string, loc: Location): Location {
  return { ...loc, file: relativeTo(root, loc.file) };
}

function relocateLocate(root: string, locate: Locate): Locate {
  return (path, at) => {
    const loc = locate(path, at);
    return loc ? relocateLocation(root, loc) : undefined;
  };
}

/** The app with every locate() answering repository-relative files (the `file` fields stay
 * absolute: they name where the files are on this machine). */
export function relocateApp(root: string, app: LoadedApp): LoadedApp {
  return {
    platform: { ...app.platform, locate: relocateLocate(root, app.platform.locate) },
    services: app.services.map((s) => ({ ...s, locate: relocateLocate(root, s.locate) })),
  };
}

/** A FerryError with its locations and paths relative to `root`; anything else as it is. */
export function relocateError(root: string, err: unknown): unknown {
  if (err instanceof InvalidInputError) {
    const issues = err.issues.map((i): Issue => ({
      ...i,
      message: relocateText(root, i.message),
      ...(i.loc ? { loc: relocateLocation(root, i.loc) } : {}),
      ...(i.hint !== undefined ? { hint: relocateText(root, i.hint) } : {}),
    }));
    return new InvalidInputError(issues, relocateText(root, err.message));
  }
  if (err instanceof FerryError) {
    const hint = err.hint === undefined ? {} : { hint: relocateText(root, err.hint) };
    return new FerryError(err.code, relocateText(root, err.message), { ...hint, cause: err });
  }
  return err;
}
