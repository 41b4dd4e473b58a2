#!/usr/bin/env node
// The CLI's start-up build, after `tsc` has written dist/ (npm run build runs both):
// 1. dist/ferry.cjs: src/cli/main.ts and everything it loads in one CommonJS file (esbuild).
//    Native code stays outside: better-sqlite3's addon is loaded from node_modules when the store
//    is first opened (its JavaScript is bundled). `import.meta.url` of each source file becomes the URL of
//    its tsc-built twin under dist/, so files found relative to it (package.json, schema/) are
//    found the same way.
// 2. dist/ferry.blob: a Node start-up snapshot of that bundle with every command loaded
//    (src/cli/start.ts, src/cli/warm.ts); dist/ferry.blob.stamp: the checkout it was built for
//    (and the Node version, for people); dist/ferry.blob.node: an empty file with the building
//    node binary's modification time. bin/ferry starts from the snapshot only when both match.
// What each step buys: docs/benchmarks.md. Usage: node scripts/build.mjs [--no-snapshot]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const dist = join(root, 'dist');
const bundle = join(dist, 'ferry.cjs');
const blob = join(dist, 'ferry.blob');
const stamp = `${blob}.stamp`;
/** an empty file with the modification time of the node binary that built the snapshot */
const nodeRef = `${blob}.node`;

/** Optional packages that may be absent: required from node_modules at run time, if ever. */
const OUTSIDE = ['pg-native', 'pg-cloudflare'];

const banner = `"use strict";
const __ferryPath = require("node:path");
/** The checkout's root: given by bin/ferry to a snapshot-started process, else beside this file. */
function __ferryRoot() { return globalThis.__ferryRoot ?? __ferryPath.join(__dirname, ".."); }
function __ferryUrl(p) { return require("node:url").pathToFileURL(__ferryPath.join(__ferryRoot(), "dist", p)).href; }
let __ferryReq;
function __ferryRequire(id) {
  __ferryReq ??= require("node:module").createRequire(__ferryPath.join(__ferryRoot(), "dist", "ferry.cjs"));
  return __ferryReq(id);
}`;

const plugin = {
  name: 'ferry',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${OUTSIDE.join('|')})$`) }, (a) => ({
      path: a.path,
      namespace: 'outside',
    }));
    b.onLoad({ filter: /.*/, namespace: 'outside' }, (a) => ({
      contents: `module.exports = __ferryRequire(${JSON.stringify(a.path)});`,
      loader: 'js',
    }));
    // better-sqlite3 finds its native addon through `bindings`, which probes a dozen paths and
    // walks a stack trace (≈ 20 ms); its build puts the addon in one place, loaded from there
    b.onResolve({ filter: /^bindings$/ }, (a) => ({ path: a.path, namespace: 'native' }));
    b.onLoad({ filter: /.*/, namespace: 'native' }, () => ({
      contents: 'module.exports = (name) => __ferryRequire("better-sqlite3/build/Release/" + name);',
      loader: 'js',
    }));
    // zod bundles every message locale (64 modules, a fifth of the bundle) behind z.locales;
    // ferry's messages are its own (src/manifest/zod-issues.ts) over zod's default English
    b.onLoad({ filter: /\/node_modules\/zod\/v4\/locales\/index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (a) => {
      let text = readFileSync(a.path, 'utf8');
      if (a.path === join(root, 'src/cli/warm.ts') && warmList) {
        const list = warmList.map((f) => {
          const r = relative(join(root, 'src/cli'), f);
          return `() => import(${JSON.stringify(r.startsWith('.') ? r : `./${r}`)})`;
        });
        const marker = /\[\];? \/\* ferry:warm-modules \*\//;
        if (!marker.test(text)) throw new Error('src/cli/warm.ts: the /* ferry:warm-modules */ list is gone');
        text = text.replace(marker, `[${list.join(', ')}];`);
      }
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const twin = relative(join(root, 'src'), a.path).replace(/\.ts$/, '.js');
      return {
        contents: text.replaceAll('import.meta.url', `__ferryUrl(${JSON.stringify(twin)})`),
        loader: 'ts',
      };
    });
  },
};

/** What Node cannot hold in a snapshot (bindings it cannot serialize), and `pg`, which reads the environment when loaded. */
const UNWARMABLE = /^(?:(?:node:)?(?:http|https|http2|tls|net|dns|dgram)|node_modules\/pg(?:-[a-z]+)?\/.*)$/;

/**
 * The source modules the CLI can reach whose loading loads nothing UNWARMABLE (through static
 * imports): what warm.ts loads into the snapshot. New modules are included without a list to keep.
 */
function warmable(meta) {
  const inputs = meta.inputs;
  const unsafe = new Set(Object.keys(inputs).filter((f) => UNWARMABLE.test(f)));
  const statics = (f) =>
    (inputs[f]?.imports ?? []).filter((i) => i.kind === 'import-statement' || i.kind === 'require-call');
  for (let changed = true; changed;) {
    changed = false;
    for (const f of Object.keys(inputs)) {
      if (unsafe.has(f)) continue;
      if (statics(f).some((i) => unsafe.has(i.path) || UNWARMABLE.test(i.path))) {
        unsafe.add(f);
        changed = true;
      }
    }
  }
  return Object.keys(inputs)
    .filter((f) => f.startsWith('src/') && !unsafe.has(f) && !/^src\/cli\/(main|start|warm)\.ts$/.test(f))
    .map((f) => join(root, f))
    .sort();
}

const options = {
  absWorkingDir: root,
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'iife',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  sourcemap: 'linked',
  banner: { js: banner },
  plugins: [plugin],
  logLevel: 'warning',
  metafile: true,
};
const t0 = performance.now();
/** filled by a first pass over the module graph; the second writes the bundle with it */
let warmList;
warmList = warmable((await build({ ...options, write: false, sourcemap: false })).metafile);
const result = await build(options);
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(
  `build: ${relative(root, bundle)} ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms`,
);

for (const f of [nodeRef, stamp, blob]) rmSync(f, { force: true });
if (!process.argv.includes('--no-snapshot')) {
  const t1 = performance.now();
  const r = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], {
    cwd: dirname(bundle),
    encoding: 'utf8',
  });
  // bin/ferry compares the node on PATH with nodeRef's time: `touch -r` copies it to the nanosecond
  const touched =
    r.status === 0 && spawnSync('touch', ['-r', realpathSync(process.execPath), nodeRef]).status === 0;
  if (r.status === 0 && touched) {
    writeFileSync(stamp, `${root}\n${process.version} ${realpathSync(process.execPath)}\n`);
    console.log(
      `build: ${relative(root, blob)} (Node ${process.version}) in ${Math.round(performance.now() - t1)} ms`,
    );
  } else {
    rmSync(blob, { force: true });
    // not fatal: bin/ferry then runs the bundle, which is only slower to start
    console.warn(
      `build: no start-up snapshot (node --build-snapshot exited ${r.status}):\n${r.stderr.trim()}`,
    );
  }
}
