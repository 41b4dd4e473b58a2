// The dashboard's built files (web/, built into dist/web by the build): index.html at `/` and
// the hashed bundles under /assets/. Only files that are in the built folder are served, read
// once at start; the page then talks to the same public API as every other client.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out.set(`/${abs.slice(dir.length).replace(/^\/+/, '')}`, readFileSync(abs));
  }
  return out;
}

/** Serves the built dashboard from `dir` on `app`: `/` and `/assets/*`. */
export function serveWeb(app: Hono, dir: string = DEFAULT_WEB_DIR): void {
  const built = files(dir);
  const answer = (path: string, immutable: boolean) => {
    const body = built.get(path);
    if (!body) return undefined;
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      },
    });
  };
  app.get('/', (c) => {
    const page = answer('/index.html', false);
    if (page) return page;
    return c.text(`the dashboard is not built: ${dir} holds no index.html\n`, 404);
  });
  app.get('/assets/*', (c) => answer(c.req.path, true) ?? c.notFound());
}
