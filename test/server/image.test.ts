// The server's container image, checked without a Docker engine (this machine has none): the
// Dockerfile's stages, its runtime stage (production dependencies only, not root, `ferry server`,
// a HEALTHCHECK on /healthz), every path it copies, and the build stage's compile run for real
// on exactly the files the .dockerignore lets into the build context.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  contextFiles,
  copyOf,
  ignored,
  parseDockerfile,
  parseDockerignore,
  type Stage,
} from '../kit/dockerfile.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const rules = parseDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
const runtime = dockerfile.stages.at(-1)!;
const stage = (name: string): Stage | undefined => dockerfile.stages.find((s) => s.name === name);
const ops = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op);
const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The stage a stage builds on, through FROM <earlier stage>. */
function ancestry(s: Stage): Stage[] {
  const parent = stage(s.from);
  return parent ? [s, ...ancestry(parent)] : [s];
}

test('multi-stage: build stage runs npm ci and the build; runtime copies production dependencies only', () => {
  assert.ok(dockerfile.stages.length >= 2, 'at least a build and a runtime stage');
  assert.equal(runtime.name, 'runtime');
  const copies = ops(runtime, 'COPY').map(copyOf);
  const modules = copies.find((c) => c.sources.some((s) => s.endsWith('node_modules')));
  assert.ok(modules?.from, 'node_modules comes from another stage');
  const depsRuns = ancestry(stage(modules.from)!).flatMap((s) => ops(s, 'RUN').map((r) => r.args));
  assert.ok(
    depsRuns.some((r) => /npm ci\b.*--omit=dev/.test(r)),
    `the stage node_modules comes from runs npm ci --omit=dev: ${depsRuns.join(' | ')}`,
  );
  assert.ok(!depsRuns.some((r) => /npm ci\b/.test(r) && !/--omit=dev/.test(r)), 'and never a full npm ci');
  const dist = copies.find((c) => c.sources.some((s) => s.endsWith('/dist')));
  assert.ok(dist?.from, 'dist comes from the build stage');
  const buildRuns = ancestry(stage(dist.from)!).flatMap((s) => ops(s, 'RUN').map((r) => r.args));
  assert.ok(
    buildRuns.some((r) => /^npm ci\b/.test(r) && !/--omit=dev/.test(r)),
    'the build installs dev deps',
  );
  assert.ok(buildRuns.some((r) => /npm run build/.test(r)));
  for (const c of copies) {
    if (c.from)
      assert.ok(
        stage(c.from) && stage(c.from)!.index < runtime.index,
        `COPY --from=${c.from} names an earlier stage`,
      );
    assert.ok(!c.sources.some((s) => /(^|\/)src\/?$/.test(s)), 'no TypeScript sources in the runtime image');
  }
  assert.ok(
    !ops(runtime, 'RUN').some((r) => /\bnpm (ci|install)\b/.test(r.args)),
    'the runtime stage installs no npm packages',
  );
});

test('runtime: not root, `ferry server` as the entrypoint, EXPOSE, listen and HEALTHCHECK agree on the port', () => {
  const users = ops(runtime, 'USER');
  assert.ok(users.length > 0, 'the runtime stage sets a USER');
  const user = users.at(-1)!.args.split(':')[0]!;
  assert.ok(!['root', '0'].includes(user), `USER ${user}`);
  const entry = JSON.parse(ops(runtime, 'ENTRYPOINT').at(-1)!.args) as string[];
  assert.deepEqual(entry.slice(-2), ['/app/bin/ferry', 'server']);
  const cmd = JSON.parse(ops(runtime, 'CMD').at(-1)!.args) as string[];
  const listen = cmd[cmd.indexOf('--listen') + 1] ?? '';
  const port = listen.split(':').at(-1);
  assert.equal(ops(runtime, 'EXPOSE').at(-1)?.args, port);
  const health = ops(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
  assert.match(health, new RegExp(`127\\.0\\.0\\.1:${port}/healthz`));
  assert.ok(
    ops(runtime, 'RUN').some((r) => /apt-get install .*\bgit\b/.test(r.args)),
    'git is installed (git projects)',
  );
  // the manifest that deploys the image listens and probes on the same port
  const manifest = parse(readFileSync(join(root, 'deploy/ferry/ferry.yaml'), 'utf8')) as {
    port: number;
    args: string[];
  };
  assert.equal(String(manifest.port), port);
  assert.equal(manifest.args[manifest.args.indexOf('--listen') + 1], listen);
});

test('every path the Dockerfile copies from the context exists and is in the context; the context leaves out the rest', () => {
  for (const s of dockerfile.stages) {
    for (const c of ops(s, 'COPY').map(copyOf)) {
      if (c.from) continue;
      for (const src of c.sources) {
        assert.ok(existsSync(join(root, src)), `${s.name}: COPY ${src} exists`);
        assert.ok(!ignored(rules, src), `${s.name}: COPY ${src} is not in .dockerignore`);
      }
    }
  }
  for (const out of ['node_modules', '.git', 'dist', '.ferry', 'test', 'docs', 'src/cli/main.test.ts']) {
    assert.ok(ignored(rules, out), `${out} stays out of the build context`);
  }
  assert.ok(!ignored(rules, 'src/cli/main.ts'));
});

test('the build stage compiles from exactly the build context, and the runtime layout starts ferry', () => {
  const ctx = mkdtempSync(join(tmpdir(), 'ferry-image-'));
  made.push(ctx);
  for (const f of contextFiles(root, rules)) cpSync(join(root, f), join(ctx, f), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(ctx, 'node_modules'));
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ctx,
      encoding: 'utf8',
    },
  );
  assert.equal(tsc.status, 0, `the build fails on the context alone:\n${tsc.stdout}${tsc.stderr}`);
  // the runtime stage's files: package.json, bin, schema and dist (node_modules as the deps stage's)
  const run = spawnSync(process.execPath, [join(ctx, 'bin/ferry'), '--version'], {
    cwd: dirname(ctx),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.ok(run.stdout.includes(pkg.version), run.stdout);
});

test('what runs in the image imports only production dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const sources = contextFiles(root, rules).filter((f) => f.startsWith('src/') && f.endsWith('.ts'));
  assert.ok(sources.length > 50, `${sources.length} sources`);
  const missing = new Set<string>();
  const seen = new Set<string>();
  for (const f of sources) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s(?!type\b)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g,
    )) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      seen.add(name);
      if (!(name in pkg.dependencies)) missing.add(`${name} (${f})`);
    }
  }
  assert.deepEqual([...missing], [], 'imported at run time but not a production dependency');
  for (const dep of ['zod', 'yaml', 'pg', 'better-sqlite3']) assert.ok(seen.has(dep), `the scan sees ${dep}`);
});
